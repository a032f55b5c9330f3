package dev.weft.platform.knowledge.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.core.WeftException;
import dev.weft.api.model.ModelRuntime;
import dev.weft.api.rag.KnowledgeRetrieval;
import dev.weft.api.rag.RetrievalQuery;
import dev.weft.api.rag.RetrievedChunk;
import dev.weft.platform.knowledge.KnowledgeAdministration;
import dev.weft.platform.store.KnowledgeRepository;
import dev.weft.platform.store.KnowledgeRepository.Document;
import dev.weft.platform.store.KnowledgeRepository.KnowledgeBase;
import dev.weft.platform.store.KnowledgeRepository.Segment;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.rag.Chunker;
import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.IndexSpec;
import dev.weft.spi.rag.IndexedChunk;
import dev.weft.spi.rag.KnowledgeIndex;
import dev.weft.spi.rag.KnowledgeIndexProvider;
import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knowledge bases: the console's and the service API's administration, retrieval for nodes, and the
 * ingestion of documents as background jobs kept in the store.
 */
@Component(service = {KnowledgeRetrieval.class, KnowledgeAdministration.class, KnowledgeService.class},
        configurationPid = KnowledgeService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = KnowledgeService.Config.class)
public final class KnowledgeService implements KnowledgeRetrieval, KnowledgeAdministration {

    static final String PID = "dev.weft.knowledge";
    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeService.class);
    static final ObjectMapper JSON = new ObjectMapper();

    @ObjectClassDefinition(name = "Weft knowledge bases")
    public @interface Config {
        @AttributeDefinition(description = "Documents ingested at once (virtual threads: enough that the embedding model always has the next batch waiting while others are written)")
        int workers() default 64;

        @AttributeDefinition(description = "Chunks embedded in one call at most")
        int embedding_batch() default 16;

        @AttributeDefinition(description = "The largest file accepted, in MB (Dify: 15)")
        int max_file_mb() default 15;

        @AttributeDefinition(description = "How many times a document's ingestion starts before it is marked failed")
        int max_attempts() default 3;
    }

    final KnowledgeRepository store;
    final ModelRuntime models;
    private final Searcher searcher;
    private final List<DocumentExtractor> extractors = new CopyOnWriteArrayList<>();
    private final List<Chunker> chunkers = new CopyOnWriteArrayList<>();
    private final Map<String, KnowledgeIndex> indexes = new ConcurrentHashMap<>();

    private volatile KnowledgeIndexProvider indexProvider;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TokenCounter tokenCounter;

    private volatile Config config;
    private FileStore files;
    private EmbeddingBatcher batcher;
    private Ingestion ingestion;

    @Activate
    public KnowledgeService(@Reference KnowledgeRepository store, @Reference ModelRuntime models) {
        this.store = store;
        this.models = models;
        this.searcher = new Searcher(this, store, models);
    }

    @Activate
    void activate(BundleContext context, Config config) {
        String data = context.getProperty("weft.data");
        start(Path.of(data == null ? System.getProperty("java.io.tmpdir") : data), config);
    }

    /** Starts with a data folder (tests call this without a framework). */
    void start(Path data, Config config) {
        this.config = config;
        this.files = new FileStore(data.resolve("files"), Math.max(1, config.max_file_mb()) * 1024L * 1024L);
        this.batcher = new EmbeddingBatcher(models::embed, Math.max(1, config.embedding_batch()));
        this.ingestion = new Ingestion(this, Math.max(1, config.workers()), Math.max(1, config.max_attempts()));
        ingestion.start();
    }

    @Deactivate
    void deactivate() {
        if (ingestion != null) {
            ingestion.stop();
        }
        if (batcher != null) {
            batcher.close();
        }
        closeIndexes();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addExtractor(DocumentExtractor extractor) {
        extractors.add(extractor);
    }

    void removeExtractor(DocumentExtractor extractor) {
        extractors.remove(extractor);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addChunker(Chunker chunker) {
        chunkers.add(chunker);
    }

    void removeChunker(Chunker chunker) {
        chunkers.remove(chunker);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIndexProvider(KnowledgeIndexProvider provider) {
        closeIndexes();
        indexProvider = provider;
    }

    void unbindIndexProvider(KnowledgeIndexProvider provider) {
        if (indexProvider == provider) {
            indexProvider = null;
            closeIndexes();
        }
    }

    private void closeIndexes() {
        for (KnowledgeIndex index : indexes.values()) {
            try {
                index.close();
            } catch (IOException e) {
                LOG.warn("A knowledge index did not close cleanly: {}", e.getMessage());
            }
        }
        indexes.clear();
    }

    // ------------------------------------------------------------------ administration

    @Override
    public KnowledgeBase create(String workspaceId, NewKnowledgeBase spec) {
        String name = Settings.text(spec.name(), "");
        if (name.isEmpty() || name.length() > 255) {
            throw Settings.invalid("name is required, at most 255 characters");
        }
        if (store.bases(workspaceId).stream().anyMatch(b -> b.name().equals(name))) {
            throw new WeftException("dataset_name_duplicate", "a knowledge base named '" + name + "' exists already");
        }
        String technique = Settings.text(spec.indexingTechnique(), "high_quality");
        if (!Settings.TECHNIQUES.contains(technique)) {
            throw Settings.invalid("indexing_technique must be high_quality or economy");
        }
        String language = Settings.text(spec.language(), "auto");
        if (!Settings.LANGUAGES.contains(language)) {
            throw Settings.invalid("language must be one of " + Settings.LANGUAGES);
        }
        String form = Settings.text(spec.docForm(), "text_model");
        if (!Settings.FORMS.contains(form)) {
            throw Settings.invalid("doc_form must be text_model or hierarchical_model");
        }
        if (form.equals("hierarchical_model") && technique.equals("economy")) {
            throw Settings.invalid("parent-child chunking needs the high_quality indexing technique");
        }
        Map<String, Object> rule = spec.processRule() == null || spec.processRule().isEmpty()
                ? (form.equals("hierarchical_model") ? Settings.hierarchicalProcessRule() : Settings.automaticProcessRule())
                : spec.processRule();
        Map<String, Object> retrieval = spec.retrievalModel() == null ? Settings.defaultRetrieval(technique.equals("economy"))
                : merged(Settings.defaultRetrieval(technique.equals("economy")), spec.retrievalModel());
        Settings.retrieval(retrieval, technique.equals("economy"));
        Map<String, String> fields = checkFields(spec.metadataFields());
        String provider = technique.equals("economy") ? null : Settings.text(spec.embeddingProvider(), "");
        String model = technique.equals("economy") ? null : Settings.text(spec.embeddingModel(), "");
        int dimensions = 0;
        if (technique.equals("high_quality")) {
            // the embedding model must work now: its dimension shapes the index
            dimensions = searcher.embedQuery(workspaceId, provider, model, "dimension probe", null, null).length;
        }
        return store.create(new KnowledgeBase(null, workspaceId, name, Settings.text(spec.description(), ""), technique,
                provider, model, dimensions, language, form, json(rule), json(retrieval), json(fields), null, null));
    }

    private static Map<String, Object> merged(Map<String, Object> defaults, Map<String, Object> given) {
        Map<String, Object> out = new LinkedHashMap<>(defaults);
        out.putAll(given);
        return out;
    }

    private static Map<String, String> checkFields(Map<String, String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        if (fields != null) {
            fields.forEach((key, type) -> {
                if (key == null || !key.matches("[A-Za-z_][A-Za-z0-9_]{0,63}") || Settings.BUILT_IN_FIELDS.contains(key)) {
                    throw Settings.invalid("metadata field names are letters, digits and _ (not a built-in name): " + key);
                }
                if (!Settings.FIELD_TYPES.contains(type)) {
                    throw Settings.invalid("metadata field " + key + " must be of type string, number or time");
                }
                out.put(key, type);
            });
        }
        return out;
    }

    @Override
    public List<KnowledgeBase> bases(String workspaceId) {
        return store.bases(workspaceId);
    }

    @Override
    public Optional<KnowledgeBase> base(String workspaceId, String id) {
        return store.base(workspaceId, id);
    }

    @Override
    public KnowledgeBase update(String workspaceId, String id, NewKnowledgeBase changes) {
        KnowledgeBase base = requireBase(workspaceId, id);
        String name = changes.name() == null ? base.name() : Settings.text(changes.name(), "");
        if (name.isEmpty() || name.length() > 255) {
            throw Settings.invalid("name is required, at most 255 characters");
        }
        if (!name.equals(base.name()) && store.bases(workspaceId).stream().anyMatch(b -> b.name().equals(name))) {
            throw new WeftException("dataset_name_duplicate", "a knowledge base named '" + name + "' exists already");
        }
        boolean economy = base.indexingTechnique().equals("economy");
        Map<String, Object> retrieval = changes.retrievalModel() == null ? object(base.retrievalModelJson())
                : merged(object(base.retrievalModelJson()), changes.retrievalModel());
        Settings.retrieval(retrieval, economy);
        String fields = changes.metadataFields() == null ? base.metadataFieldsJson() : json(checkFields(changes.metadataFields()));
        return store.update(new KnowledgeBase(base.id(), workspaceId, name,
                changes.description() == null ? base.description() : changes.description(), base.indexingTechnique(),
                base.embeddingProvider(), base.embeddingModel(), base.dimensions(), base.language(), base.docForm(),
                changes.processRule() == null ? base.processRuleJson() : json(changes.processRule()), json(retrieval),
                fields, base.createdAt(), base.updatedAt())).orElseThrow(() -> notFound(id));
    }

    @Override
    public boolean delete(String workspaceId, String id) {
        Optional<KnowledgeBase> base = store.base(workspaceId, id);
        if (base.isEmpty()) {
            return false;
        }
        List<Document> documents = allDocuments(workspaceId, id);
        if (!store.delete(workspaceId, id)) {
            return false;
        }
        KnowledgeIndex index = indexes.remove(id);
        try {
            if (index != null) {
                index.close();
            }
            KnowledgeIndexProvider provider = indexProvider;
            if (provider != null) {
                provider.drop(spec(base.get()));
            }
        } catch (IOException e) {
            LOG.warn("The index of knowledge base {} could not be removed: {}", id, e.getMessage());
        }
        documents.forEach(d -> files.delete(workspaceId, d.fileKey()));
        return true;
    }

    private List<Document> allDocuments(String workspaceId, String baseId) {
        List<Document> all = new ArrayList<>();
        for (int offset = 0; ; offset += 500) {
            List<Document> page = store.documents(workspaceId, baseId, null, offset, 500);
            all.addAll(page);
            if (page.size() < 500) {
                return all;
            }
        }
    }

    @Override
    public Document addText(String workspaceId, String knowledgeBaseId, String name, String text, Map<String, Object> metadata) {
        KnowledgeBase base = requireBase(workspaceId, knowledgeBaseId);
        String clean = Sniffer.cleanName(name);
        if (text == null || text.isBlank()) {
            throw Settings.invalid("text is required");
        }
        Map<String, Object> meta = checkMetadata(base, metadata);
        FileStore.Stored stored;
        try {
            stored = files.put(workspaceId, new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new WeftException("internal_error", "the document could not be kept: " + e.getMessage());
        }
        Document added = store.add(new Document(null, base.id(), workspaceId, 0, clean, "text", stored.key(), "text/plain",
                stored.size(), null, true, null, 0, 0, 0, 0, 0, json(meta), batch(), null, null, null, null));
        ingestion.wake();
        return added;
    }

    @Override
    public Document addFile(String workspaceId, String knowledgeBaseId, String fileName, InputStream content,
            Map<String, Object> metadata) {
        KnowledgeBase base = requireBase(workspaceId, knowledgeBaseId);
        Map<String, Object> meta = checkMetadata(base, metadata);
        String clean = Sniffer.cleanName(fileName);
        FileStore.Stored stored;
        String kind;
        try {
            stored = files.put(workspaceId, content);
        } catch (IOException e) {
            throw new WeftException("internal_error", "the file could not be kept: " + e.getMessage());
        }
        try {
            kind = Sniffer.kind(files.path(workspaceId, stored.key()), clean);
            extractorFor(kind);
        } catch (IOException | WeftException e) {
            files.delete(workspaceId, stored.key());
            throw e instanceof WeftException w ? w : new WeftException("document_unreadable", e.getMessage());
        }
        Document added = store.add(new Document(null, base.id(), workspaceId, 0, clean, "upload", stored.key(), kind,
                stored.size(), null, true, null, 0, 0, 0, 0, 0, json(meta), batch(), null, null, null, null));
        ingestion.wake();
        return added;
    }

    private static String batch() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now()) + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(100000, 999999));
    }

    /** Document metadata must use the base's declared fields, with values of their types. */
    private static Map<String, Object> checkMetadata(KnowledgeBase base, Map<String, Object> metadata) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (metadata == null) {
            return out;
        }
        Map<String, Object> fields = object(base.metadataFieldsJson());
        metadata.forEach((key, value) -> {
            Object type = fields.get(key);
            if (type == null) {
                throw Settings.invalid("metadata key '" + key + "' is not a field of this knowledge base (fields: "
                        + fields.keySet() + ")");
            }
            if (value != null && type.equals("number") && !(value instanceof Number)) {
                throw Settings.invalid("metadata " + key + " must be a number");
            }
            if (value != null && type.equals("time") && !(value instanceof Number)) {
                throw Settings.invalid("metadata " + key + " must be a time in seconds since 1970");
            }
            if (value != null && type.equals("string") && !(value instanceof String)) {
                throw Settings.invalid("metadata " + key + " must be text");
            }
            out.put(key, value);
        });
        return out;
    }

    @Override
    public List<Document> documents(String workspaceId, String knowledgeBaseId, String keyword, int page, int limit) {
        requireBase(workspaceId, knowledgeBaseId);
        int size = Math.max(1, Math.min(100, limit));
        return store.documents(workspaceId, knowledgeBaseId, keyword, (Math.max(1, page) - 1) * size, size);
    }

    @Override
    public Optional<Document> document(String workspaceId, String documentId) {
        return store.document(workspaceId, documentId);
    }

    @Override
    public Document reindex(String workspaceId, String documentId) {
        Document document = requireDocument(workspaceId, documentId);
        if (!store.moveStatus(documentId, List.of("indexed", "failed"), "queued", null)) {
            throw new WeftException("document_indexing", "the document is being indexed already");
        }
        ingestion.wake();
        return store.document(workspaceId, document.id()).orElseThrow();
    }

    @Override
    public Document enable(String workspaceId, String documentId, boolean enabled) {
        Document document = requireDocument(workspaceId, documentId);
        store.enable(workspaceId, documentId, enabled);
        if (document.status().equals("indexed")) {
            KnowledgeBase base = requireBase(workspaceId, document.knowledgeBaseId());
            try {
                if (enabled) {
                    index(base).replaceDocument(documentId, indexedChunks(base, store.document(workspaceId, documentId).orElseThrow(),
                            store.segments(workspaceId, documentId)));
                } else {
                    index(base).deleteDocument(documentId);
                }
            } catch (IOException e) {
                store.enable(workspaceId, documentId, document.enabled());
                throw new WeftException("index_error", "the index could not be changed: " + e.getMessage());
            }
        }
        return store.document(workspaceId, documentId).orElseThrow();
    }

    @Override
    public Document metadata(String workspaceId, String documentId, Map<String, Object> metadata) {
        Document document = requireDocument(workspaceId, documentId);
        KnowledgeBase base = requireBase(workspaceId, document.knowledgeBaseId());
        store.metadata(workspaceId, documentId, json(checkMetadata(base, metadata)));
        Document changed = store.document(workspaceId, documentId).orElseThrow();
        if (changed.status().equals("indexed") && changed.enabled()) {
            try {
                index(base).replaceDocument(documentId, indexedChunks(base, changed, store.segments(workspaceId, documentId)));
            } catch (IOException e) {
                throw new WeftException("index_error", "the index could not be changed: " + e.getMessage());
            }
        }
        return changed;
    }

    @Override
    public boolean deleteDocument(String workspaceId, String documentId) {
        Optional<Document> document = store.document(workspaceId, documentId);
        if (document.isEmpty()) {
            return false;
        }
        KnowledgeBase base = requireBase(workspaceId, document.get().knowledgeBaseId());
        try {
            index(base).deleteDocument(documentId);
        } catch (IOException | WeftException e) {
            throw new WeftException("index_error", "the document could not be taken out of the index: " + e.getMessage());
        }
        boolean deleted = store.deleteDocument(workspaceId, documentId);
        files.delete(workspaceId, document.get().fileKey());
        return deleted;
    }

    @Override
    public List<Segment> segments(String workspaceId, String documentId) {
        requireDocument(workspaceId, documentId);
        return store.segments(workspaceId, documentId);
    }

    @Override
    public Segment updateSegment(String workspaceId, String segmentId, String content, Boolean enabled) {
        Segment segment = store.segment(workspaceId, segmentId)
                .orElseThrow(() -> new WeftException("segment_not_found", "no chunk " + segmentId));
        Document document = requireDocument(workspaceId, segment.documentId());
        KnowledgeBase base = requireBase(workspaceId, document.knowledgeBaseId());
        String text = content == null ? segment.content() : content.strip();
        if (text.isEmpty()) {
            throw Settings.invalid("a chunk cannot be empty");
        }
        float[] vector = segment.vector();
        int tokens = segment.tokens();
        if (!text.equals(segment.content())) {
            tokens = tokens().count(text);
            if (vector != null) {
                try {
                    vector = batcher.embed(workspaceId, base.embeddingProvider(), base.embeddingModel(), List.of(text)).get(0);
                } catch (ModelException e) {
                    throw new WeftException(e.code(), "the chunk could not be embedded: " + e.getMessage());
                }
            }
        }
        Segment changed = new Segment(segment.id(), segment.documentId(), segment.knowledgeBaseId(), segment.parentId(),
                segment.position(), text, tokens, enabled == null ? segment.enabled() : enabled, vector, segment.hitCount());
        store.updateSegment(workspaceId, changed);
        if (document.status().equals("indexed") && document.enabled()) {
            try {
                index(base).replaceDocument(document.id(), indexedChunks(base, document, store.segments(workspaceId, document.id())));
            } catch (IOException e) {
                store.updateSegment(workspaceId, segment);
                throw new WeftException("index_error", "the index could not be changed: " + e.getMessage());
            }
        }
        return changed;
    }

    @Override
    public List<RetrievedChunk> hitTest(String workspaceId, String knowledgeBaseId, String query, Map<String, Object> retrievalModel) {
        KnowledgeBase base = requireBase(workspaceId, knowledgeBaseId);
        if (query == null || query.isBlank()) {
            throw Settings.invalid("query is required");
        }
        boolean economy = base.indexingTechnique().equals("economy");
        Settings.Retrieval settings = Settings.retrieval(retrievalModel == null ? object(base.retrievalModelJson())
                : merged(object(base.retrievalModelJson()), retrievalModel), economy);
        List<Searcher.Scored> found = searcher.searchBase(base, settings, query, MetadataFilter.NONE, settings.topK(), null,
                null);
        return searcher.finish(workspaceId, found, settings.topK(), settings.scoreThreshold());
    }

    // ------------------------------------------------------------------ retrieval (Searcher)

    /** One look-up per base, without reading its metadata fields as the interface's default does. */
    @Override
    public List<String> existing(String workspaceId, List<String> knowledgeBaseIds) {
        return knowledgeBaseIds.stream().filter(id -> store.base(workspaceId, id).isPresent()).toList();
    }

    @Override
    public List<RetrievedChunk> retrieve(RetrievalQuery query) {
        return searcher.retrieve(query);
    }

    @Override
    public Map<String, String> metadataFields(String workspaceId, List<String> knowledgeBaseIds) {
        Map<String, String> common = null;
        for (String id : new LinkedHashSet<>(knowledgeBaseIds)) {
            Map<String, String> fields = new LinkedHashMap<>();
            object(requireBase(workspaceId, id).metadataFieldsJson()).forEach((name, type) -> fields.put(name,
                    String.valueOf(type)));
            if (common == null) {
                common = fields;
            } else {
                common.keySet().retainAll(fields.keySet());
            }
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("document_name", "string");
        all.put("source", "string");
        all.put("upload_date", "time");
        all.put("last_update_date", "time");
        if (common != null) {
            all.putAll(common);
        }
        return all;
    }

    // ------------------------------------------------------------------ what ingestion uses

    KnowledgeIndex index(KnowledgeBase base) throws IOException {
        KnowledgeIndex open = indexes.get(base.id());
        if (open != null) {
            return open;
        }
        KnowledgeIndexProvider provider = indexProvider;
        if (provider == null) {
            throw new WeftException("index_unavailable", "no knowledge index is installed (the weft-rag-lucene bundle)");
        }
        synchronized (indexes) {
            open = indexes.get(base.id());
            if (open == null) {
                open = provider.open(spec(base));
                indexes.put(base.id(), open);
            }
            return open;
        }
    }

    private static IndexSpec spec(KnowledgeBase base) {
        return new IndexSpec(base.workspaceId(), base.id(), base.indexingTechnique().equals("economy") ? 0 : base.dimensions(),
                Map.of("language", base.language()));
    }

    /** The chunks of a document as the index holds them: children for parent-child bases, enabled ones only. */
    List<IndexedChunk> indexedChunks(KnowledgeBase base, Document document, List<Segment> segments) {
        Map<String, Object> common = new LinkedHashMap<>(object(document.metadataJson()));
        common.put("document_name", document.name());
        common.put("source", document.source().equals("upload") ? "upload_file" : "text");
        common.put("upload_date", document.createdAt() == null ? 0 : document.createdAt().getEpochSecond());
        common.put("last_update_date", document.updatedAt() == null ? 0 : document.updatedAt().getEpochSecond());
        boolean hierarchical = base.docForm().equals("hierarchical_model");
        Set<String> disabledParents = new java.util.HashSet<>();
        segments.stream().filter(s -> s.parentId() == null && !s.enabled()).forEach(s -> disabledParents.add(s.id()));
        List<IndexedChunk> chunks = new ArrayList<>();
        for (Segment segment : segments) {
            if (!segment.enabled() || hierarchical != (segment.parentId() != null) || disabledParents.contains(segment.parentId())) {
                continue;
            }
            Map<String, Object> meta = new LinkedHashMap<>(common);
            meta.put("position", segment.position());
            if (segment.parentId() != null) {
                meta.put("parent_id", segment.parentId());
            }
            chunks.add(new IndexedChunk(segment.id(), segment.position(), segment.content(), segment.vector(), meta));
        }
        return chunks;
    }

    KnowledgeBase requireBase(String workspaceId, String id) {
        return store.base(workspaceId, id).orElseThrow(() -> notFound(id));
    }

    private Document requireDocument(String workspaceId, String id) {
        return store.document(workspaceId, id).orElseThrow(() -> new WeftException("document_not_found", "no document " + id));
    }

    private static WeftException notFound(String id) {
        return new WeftException("dataset_not_found", "no knowledge base " + id + " in this workspace");
    }

    TokenCounter tokens() {
        TokenCounter counter = tokenCounter;
        if (counter == null) {
            throw new WeftException("tokenizer_unavailable", "no tokenizer is installed (the weft-rag-chunker bundle)");
        }
        return counter;
    }

    Chunker chunkerFor(KnowledgeBase base) {
        // chunkers are named after Dify's doc_form values
        List<String> wanted = List.of(base.docForm());
        for (String id : wanted) {
            for (Chunker chunker : chunkers) {
                if (chunker.descriptor().id().equals(id)) {
                    return chunker;
                }
            }
        }
        throw new WeftException("chunker_unavailable", "no chunker for " + base.docForm() + " is installed");
    }

    DocumentExtractor extractorFor(String kind) {
        for (DocumentExtractor extractor : extractors) {
            var descriptor = extractor.descriptor();
            if (descriptor instanceof dev.weft.spi.rag.ExtractorDescriptor d && d.fileExtensions().contains(kind)) {
                return extractor;
            }
        }
        throw new WeftException("unsupported_file_type", "no installed extractor reads ." + kind + " files");
    }

    FileStore files() {
        return files;
    }

    EmbeddingBatcher batcher() {
        return batcher;
    }

    Ingestion ingestion() {
        return ingestion;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> object(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
