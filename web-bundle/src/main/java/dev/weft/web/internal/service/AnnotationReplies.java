package dev.weft.web.internal.service;

import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelRuntime;
import dev.weft.platform.store.AnnotationRepository;
import dev.weft.platform.store.AnnotationRepository.Annotation;
import dev.weft.platform.store.AnnotationRepository.Setting;
import dev.weft.spi.model.EmbeddingRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Annotation reply: when an app has it on, a question whose meaning is close enough to an annotated
 * question (cosine similarity of their embeddings at or above the app's threshold) is answered with
 * the annotation, and the model is not called. Questions are embedded with the model the setting
 * names (the workspace's default embedding model when it names none); their vectors are kept in
 * memory, keyed by the question's text, so only new questions cost an embedding.
 */
@Component(service = AnnotationReplies.class)
public final class AnnotationReplies {

    private static final Logger LOG = LoggerFactory.getLogger(AnnotationReplies.class);
    /** Most annotations an app's questions are compared with. */
    static final int MAX_COMPARED = 2000;
    private static final int MAX_CACHED = 50_000;

    private final AnnotationRepository annotations;
    private final ModelRuntime models;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    /**
     * Each app's reply setting, read at most once a second: every chat asks, and most apps have the
     * reply off. A change is seen within that second.
     */
    private final Map<String, KnownSetting> settings = new ConcurrentHashMap<>();
    static final long SETTING_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private record KnownSetting(Optional<Setting> setting, long until) {
    }

    @Activate
    public AnnotationReplies(@Reference AnnotationRepository annotations, @Reference ModelRuntime models) {
        this.annotations = annotations;
        this.models = models;
    }

    /** A reply from an annotation, with how close the question was. */
    public record Reply(Annotation annotation, double score) {
    }

    /** The annotation that answers this query, when the app replies from annotations and one is close enough. */
    public Optional<Reply> match(String workspaceId, String appId, String query) {
        Optional<Setting> setting = setting(workspaceId, appId).filter(Setting::enabled);
        if (setting.isEmpty() || query == null || query.isBlank()) {
            return Optional.empty();
        }
        List<Annotation> candidates = annotations.list(workspaceId, appId, null, 0, MAX_COMPARED);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        try {
            ModelCall call = new ModelCall(workspaceId, setting.get().embeddingProvider(), setting.get().embeddingModel(),
                    null, "annotation-reply");
            String prefix = workspaceId + '\u0000' + call.provider() + '\u0000' + call.model() + '\u0000';
            List<String> missing = new ArrayList<>();
            for (Annotation annotation : candidates) {
                if (!vectors.containsKey(prefix + annotation.question()) && !missing.contains(annotation.question())) {
                    missing.add(annotation.question());
                }
            }
            List<String> texts = new ArrayList<>(missing);
            texts.add(query);
            List<float[]> embedded = models.embed(call, new EmbeddingRequest(texts, EmbeddingRequest.Purpose.QUERY))
                    .vectors();
            if (vectors.size() + missing.size() > MAX_CACHED) {
                vectors.clear();
            }
            for (int i = 0; i < missing.size(); i++) {
                vectors.put(prefix + missing.get(i), embedded.get(i));
            }
            float[] question = embedded.get(embedded.size() - 1);
            Reply best = null;
            for (Annotation annotation : candidates) {
                float[] vector = vectors.get(prefix + annotation.question());
                if (vector == null) {
                    continue;
                }
                double score = cosine(question, vector);
                if (best == null || score > best.score()) {
                    best = new Reply(annotation, score);
                }
            }
            if (best != null && best.score() >= setting.get().scoreThreshold()) {
                annotations.hit(workspaceId, best.annotation().id());
                return Optional.of(best);
            }
            return Optional.empty();
        } catch (Exception e) {
            // no embedding model: the app answers as if it had no annotations
            LOG.warn("Annotation reply of app {} could not compare questions: {}", appId, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Setting> setting(String workspaceId, String appId) {
        String key = workspaceId + '/' + appId;
        long now = System.nanoTime();
        KnownSetting known = settings.get(key);
        if (known != null && now - known.until() < 0) {
            return known.setting();
        }
        Optional<Setting> read = annotations.setting(workspaceId, appId);
        if (settings.size() > 10_000) {
            settings.clear();
        }
        settings.put(key, new KnownSetting(read, now + SETTING_NANOS));
        return read;
    }

    /** Forgets an app's setting (it was just changed here). */
    public void forget(String workspaceId, String appId) {
        settings.remove(workspaceId + '/' + appId);
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length || a.length == 0) {
            return 0;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
