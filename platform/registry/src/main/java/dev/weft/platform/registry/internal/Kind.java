package dev.weft.platform.registry.internal;

import dev.weft.api.core.Pluggable;
import dev.weft.spi.model.ModelProvider;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.rag.Chunker;
import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.KnowledgeIndexProvider;
import dev.weft.spi.rag.Retriever;
import dev.weft.spi.tool.ToolProvider;

/** The kinds of pluggable service the registry follows, with their names on the wire. */
enum Kind {
    NODE_TYPE("node-type", NodeType.class),
    MODEL_PROVIDER("model-provider", ModelProvider.class),
    TOOL_PROVIDER("tool-provider", ToolProvider.class),
    DOCUMENT_EXTRACTOR("document-extractor", DocumentExtractor.class),
    CHUNKER("chunker", Chunker.class),
    KNOWLEDGE_INDEX("knowledge-index", KnowledgeIndexProvider.class),
    RETRIEVER("retriever", Retriever.class);

    private final String wireName;
    private final Class<? extends Pluggable> type;

    Kind(String wireName, Class<? extends Pluggable> type) {
        this.wireName = wireName;
        this.type = type;
    }

    String wireName() {
        return wireName;
    }

    Class<? extends Pluggable> type() {
        return type;
    }
}
