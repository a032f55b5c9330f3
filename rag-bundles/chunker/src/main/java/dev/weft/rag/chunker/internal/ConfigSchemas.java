package dev.weft.rag.chunker.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON schemas of the chunkers' configuration: Dify's {@code process_rule}. The defaults shown
 * are those {@link ProcessRule} applies; the checks the schema cannot express (overlap smaller than
 * max_tokens, children no larger than parents) are in the descriptions and enforced by
 * {@link ProcessRule}.
 */
final class ConfigSchemas {

    private ConfigSchemas() {
    }

    static Map<String, Object> general() {
        return object(ordered(
                "mode", Map.of("type", "string", "enum", List.of("automatic", "custom"), "default", "automatic",
                        "description", "automatic: Dify's defaults (separator \"\\n\", 500 tokens, overlap 50, "
                                + "extra spaces removed), any rules ignored; custom: the rules below"),
                "rules", object(ordered(
                        "pre_processing_rules", preProcessingRules(),
                        "segmentation", segmentation(ProcessRule.CUSTOM_SEGMENTATION,
                                "How chunks are cut in custom mode"),
                        "parent_mode", Map.of("description", "Parent-child only; ignored here"),
                        "subchunk_segmentation", Map.of("description", "Parent-child only; ignored here")))),
                "Dify's process rule for general chunking");
    }

    static Map<String, Object> hierarchical() {
        return object(ordered(
                "mode", Map.of("type", "string", "enum", List.of("hierarchical"), "default", "hierarchical"),
                "rules", object(ordered(
                        "pre_processing_rules", preProcessingRules(),
                        "parent_mode", Map.of("type", "string", "enum", List.of("paragraph", "full-doc"),
                                "default", "paragraph",
                                "description", "paragraph: parents cut by segmentation; full-doc: the whole "
                                        + "document is one parent, cut at its first "
                                        + ProcessRule.FULL_DOC_MAX_TOKENS + " tokens"),
                        "segmentation", segmentation(ProcessRule.PARENT_SEGMENTATION,
                                "How parents are cut (paragraph mode)"),
                        "subchunk_segmentation", segmentation(ProcessRule.CHILD_SEGMENTATION,
                                "How children are cut from each parent; max_tokens no larger than the "
                                        + "parent's")))),
                "Dify's process rule for parent-child chunking");
    }

    /** A map that keeps the order of its keys, so forms show the settings in this order. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> preProcessingRules() {
        return Map.of("type", "array",
                "description", "Cleaning before chunking. Absent: remove_extra_spaces on, remove_urls_emails "
                        + "off. Present: rules not enabled here are off. remove_stopwords is accepted and "
                        + "ignored, as in Dify",
                "items", Map.of("type", "object", "additionalProperties", false,
                        "required", List.of("id", "enabled"),
                        "properties", Map.of(
                                "id", Map.of("type", "string", "enum", List.of(CleaningRules.REMOVE_EXTRA_SPACES,
                                        CleaningRules.REMOVE_URLS_EMAILS, CleaningRules.REMOVE_STOPWORDS)),
                                "enabled", Map.of("type", "boolean"))));
    }

    private static Map<String, Object> segmentation(Segmentation defaults, String description) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("separator", Map.of("type", "string", "maxLength", Segmentation.MAX_SEPARATOR_LENGTH,
                "default", escape(defaults.separator()),
                "description", "Fixed separator, taken literally; escapes \\n, \\t, \\r and \\\\ are read. "
                        + "Each block between separators is chunked on its own; empty: no fixed separator"));
        properties.put("max_tokens", Map.of("type", "integer", "minimum", Segmentation.MIN_TOKENS,
                "maximum", Segmentation.MAX_TOKENS, "default", defaults.maxTokens(),
                "description", "Largest chunk, in tokens of the embedding model"));
        properties.put("chunk_overlap", Map.of("type", "integer", "minimum", 0,
                "maximum", Segmentation.MAX_TOKENS - 1, "default", defaults.chunkOverlap(),
                "description", "Tokens of text a chunk repeats from the one before, at most; smaller than "
                        + "max_tokens"));
        return object(properties, description);
    }

    private static Map<String, Object> object(Map<String, Object> properties, String description) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("description", description);
        schema.put("additionalProperties", false);
        schema.put("properties", properties);
        return schema;
    }

    private static Map<String, Object> object(Map<String, Object> properties) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.put("properties", properties);
        return schema;
    }

    /** The form in which Dify's UI shows and sends a separator. */
    private static String escape(String separator) {
        return separator.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }
}
