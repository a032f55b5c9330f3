package dev.weft.platform.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An app's annotations (curated question and answer pairs) and its annotation reply setting.
 *
 * @since 1.5
 */
@ProviderType
public interface AnnotationRepository {

    /** An annotation. */
    record Annotation(String id, String workspaceId, String appId, String question, String answer, int hitCount,
            Instant createdAt) {
    }

    /** Whether an app answers from its annotations, and how. */
    record Setting(String appId, boolean enabled, double scoreThreshold, String embeddingProvider,
            String embeddingModel) {
    }

    Annotation create(String workspaceId, String appId, String question, String answer);

    /** A page of an app's annotations, newest first, whose question or answer contains the keyword (any when null). */
    List<Annotation> list(String workspaceId, String appId, String keyword, int offset, int limit);

    /** How many annotations {@link #list} would find without paging. */
    int count(String workspaceId, String appId, String keyword);

    Optional<Annotation> update(String workspaceId, String appId, String id, String question, String answer);

    boolean delete(String workspaceId, String appId, String id);

    /** Counts one reply made from the annotation. */
    void hit(String workspaceId, String id);

    Optional<Setting> setting(String workspaceId, String appId);

    void saveSetting(String workspaceId, Setting setting);
}
