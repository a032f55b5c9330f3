package dev.weft.spi.model;

/** The kinds of model, named on the wire as in Dify. */
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
