package dev.weft.platform.engine.internal.dsl;

/**
 * What an app may need from outside its graph, and whether this installation has it.
 */
public interface Dependencies {

    /** Whether a model provider named as Dify names it ({@code openai}, {@code langgenius/openai/openai}) is usable. */
    boolean hasModelProvider(String difyProviderId);

    /** Whether a knowledge base with this id exists. */
    boolean hasDataset(String datasetId);

    /** Whether a tool provider named as Dify names it is installed. */
    boolean hasToolProvider(String difyProviderId);

    /** An installation with nothing: no model provider, no knowledge base, no tool. */
    Dependencies NONE = new Dependencies() {
        @Override
        public boolean hasModelProvider(String difyProviderId) {
            return false;
        }

        @Override
        public boolean hasDataset(String datasetId) {
            return false;
        }

        @Override
        public boolean hasToolProvider(String difyProviderId) {
            return false;
        }
    };
}
