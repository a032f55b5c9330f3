package dev.weft.rag.lucene.internal;

import dev.weft.api.core.BasicDescriptor;
import dev.weft.api.core.Descriptor;
import dev.weft.spi.rag.IndexSpec;
import dev.weft.spi.rag.KnowledgeIndex;
import dev.weft.spi.rag.KnowledgeIndexProvider;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded knowledge index: one Lucene index per knowledge base, in
 * {@code <root>/<workspaceId>/<knowledgeBaseId>/}. The root is the configuration's {@code root}
 * (PID {@value #PID}), by default {@code ${weft.data}/knowledge}.
 *
 * <p>Each knowledge base has one {@link LuceneIndex} while any handle on it is open (Lucene allows
 * one writer per directory); {@link #open} hands out references to it.
 */
@Component(service = KnowledgeIndexProvider.class, configurationPid = LuceneIndexProvider.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LuceneIndexProvider.Config.class)
public final class LuceneIndexProvider implements KnowledgeIndexProvider {

    /** The configuration's PID. */
    public static final String PID = "dev.weft.rag.lucene";

    /** Settings, from {@code conf/dev.weft.rag.lucene.cfg}. */
    @ObjectClassDefinition(name = "Weft embedded knowledge index")
    public @interface Config {
        @AttributeDefinition(description = "Folder holding one index folder per knowledge base; blank for "
                + "${weft.data}/knowledge")
        String root() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(LuceneIndexProvider.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Descriptor DESCRIPTOR = new BasicDescriptor("lucene", "1", "Embedded Lucene index",
            "Keeps each knowledge base in an embedded Lucene index: BM25 full-text search, HNSW vector search, "
                    + "hybrid search and metadata filters, durable on every write.",
            Map.of("type", "object",
                    "properties", Map.of("language", Map.of(
                            "type", "string",
                            "enum", Arrays.stream(TextLanguage.values()).map(TextLanguage::id).toList(),
                            "default", TextLanguage.AUTO.id(),
                            "description", "How text is cut into words: auto (English, European languages, "
                                    + "Chinese, Japanese and Korean together), en (English stemming and stop "
                                    + "words), zh (Chinese word segmentation), ja (Japanese morphology), cjk "
                                    + "(bigrams). Fixed when the index is created: changing it means re-indexing."))));

    private final Path root;
    private final boolean groupCommit;
    private final Map<Path, Shared> open = new HashMap<>();

    @Activate
    public LuceneIndexProvider(BundleContext context, Config config) {
        this(root(context, config), true);
    }

    /** An index provider keeping its indexes under {@code root}. */
    LuceneIndexProvider(Path root, boolean groupCommit) {
        this.root = root.toAbsolutePath().normalize();
        this.groupCommit = groupCommit;
    }

    private static Path root(BundleContext context, Config config) {
        if (!config.root().isBlank()) {
            return Path.of(config.root().trim());
        }
        String data = context.getProperty("weft.data");
        if (data == null || data.isBlank()) {
            Path fallback = Path.of("data", "knowledge");
            LOG.warn("The framework property weft.data is not set; knowledge indexes go to {}",
                    fallback.toAbsolutePath());
            return fallback;
        }
        return Path.of(data, "knowledge");
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Where indexes are kept. */
    Path root() {
        return root;
    }

    @Override
    public KnowledgeIndex open(IndexSpec spec) throws IOException {
        Path path = pathOf(spec);
        synchronized (open) {
            Shared shared = open.get(path);
            if (shared == null) {
                shared = new Shared(path, LuceneIndex.open(path, spec, groupCommit));
                open.put(path, shared);
            } else {
                shared.index.settings().checkReopenedWith(spec.dimensions(), spec.settings(),
                        spec.workspaceId() + "/" + spec.knowledgeBaseId());
            }
            shared.references++;
            return new IndexHandle(shared);
        }
    }

    @Override
    public void drop(IndexSpec spec) throws IOException {
        Path path = pathOf(spec);
        synchronized (open) {
            Shared shared = open.remove(path);
            if (shared != null) {
                shared.dropped = true;
                shared.index.close();
            }
            deleteRecursively(path);
        }
        LOG.info("Dropped the knowledge index {}/{}", spec.workspaceId(), spec.knowledgeBaseId());
    }

    @Deactivate
    void deactivate() {
        List<Shared> all;
        synchronized (open) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        for (Shared shared : all) {
            try {
                shared.index.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("The knowledge index in {} did not close cleanly: {}", shared.path, e.toString());
            }
        }
    }

    private Path pathOf(IndexSpec spec) {
        return root.resolve(safe(spec.workspaceId(), "workspace id")).resolve(safe(spec.knowledgeBaseId(),
                "knowledge base id"));
    }

    private static String safe(String id, String what) {
        if (!SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the " + what + " '" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                    + "' cannot name a folder: use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'");
        }
        return id;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** One open index and how many handles use it; guarded by the provider's map. */
    final class Shared {
        private final Path path;
        private final LuceneIndex index;
        private int references;
        private boolean dropped;

        Shared(Path path, LuceneIndex index) {
            this.path = path;
            this.index = index;
        }

        LuceneIndex index() throws IOException {
            synchronized (open) {
                if (dropped) {
                    throw new IOException("this knowledge index was dropped");
                }
            }
            return index;
        }

        /** Closes the index with its last handle; inside the lock, so that no new writer races the old one. */
        void release() throws IOException {
            synchronized (open) {
                if (--references > 0 || dropped || open.get(path) != this) {
                    return;
                }
                open.remove(path);
                index.close();
            }
        }
    }
}
