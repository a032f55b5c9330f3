package dev.weft.spi.model;

import org.osgi.annotation.versioning.ProviderType;

/** The kinds of model, named on the wire as in Dify. */
@ProviderType
public enum ModelType {
    CHAT("llm"),
    EMBEDDING("text-embedding"),
    RERANK("rerank");

    private final String wireName;

    ModelType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
