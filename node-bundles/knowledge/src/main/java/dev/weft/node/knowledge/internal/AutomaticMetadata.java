package dev.weft.node.knowledge.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelRuntime;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.MetadataFilter.Condition;
import dev.weft.spi.rag.MetadataFilter.Operator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Automatic metadata filtering, as Dify's {@code metadata_filtering_mode: automatic}: the node's
 * model ({@code metadata_model_config}) reads the query and the metadata fields the knowledge bases
 * share, and writes the conditions. What it writes is checked against those fields and the operators
 * of each field's type; a condition that fails the check is left out with a note, and a model that
 * cannot answer leaves the search unfiltered with a note. The conditions only narrow the search: the
 * knowledge bases and the workspace are the node's, whatever the model writes.
 */
final class AutomaticMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Operator> TEXT = Set.of(Operator.CONTAINS, Operator.NOT_CONTAINS, Operator.START_WITH,
            Operator.END_WITH, Operator.IS, Operator.IS_NOT, Operator.EMPTY, Operator.NOT_EMPTY);
    private static final Set<Operator> NUMBER = Set.of(Operator.EQUAL, Operator.NOT_EQUAL, Operator.GREATER_THAN,
            Operator.LESS_THAN, Operator.GREATER_OR_EQUAL, Operator.LESS_OR_EQUAL, Operator.EMPTY, Operator.NOT_EMPTY);
    private static final Set<Operator> TIME = Set.of(Operator.BEFORE, Operator.AFTER, Operator.EMPTY,
            Operator.NOT_EMPTY);
    static final int MAX_CONDITIONS = 10;

    private AutomaticMetadata() {
    }

    /** The conditions the model writes for the query; {@link MetadataFilter#NONE} when it writes none usable. */
    static MetadataFilter filter(ModelRuntime models, Map<String, Object> config, String workspaceId, String runId,
            String nodeId, String query, Map<String, String> fields, List<String> notes) {
        if (!(config.get("metadata_model_config") instanceof Map<?, ?> model) || !(model.get("name") instanceof String name)
                || !(model.get("provider") instanceof String provider)) {
            notes.add("automatic metadata filtering needs metadata_model_config (provider and name); the search ran"
                    + " without a metadata filter");
            return MetadataFilter.NONE;
        }
        if (models == null) {
            notes.add("automatic metadata filtering needs the model runtime, which is not available; the search ran"
                    + " without a metadata filter");
            return MetadataFilter.NONE;
        }
        String text;
        try {
            text = models.chat(new ModelCall(workspaceId, provider, name, runId, nodeId),
                    new ChatRequest(List.of(new ChatMessage.System(instruction(fields)), ChatMessage.User.of(query)),
                            null, null, null, null, null)).response().message().text();
        } catch (RuntimeException e) {
            notes.add("the model could not write metadata conditions (" + e.getMessage() + "); the search ran"
                    + " without a metadata filter");
            return MetadataFilter.NONE;
        }
        return parse(text, fields, notes);
    }

    static String instruction(Map<String, String> fields) {
        StringBuilder lines = new StringBuilder();
        fields.forEach((field, type) -> lines.append("- ").append(field).append(" (").append(type).append(")\n"));
        return """
                You turn a search query into filter conditions on document metadata.
                The documents have these metadata fields (name and type):
                %s
                Operators by type: string: contains, not contains, start with, end with, is, is not;
                number: =, ≠, >, <, ≥, ≤; time: before, after (values as YYYY-MM-DD).
                Write a condition only for what the query states about a listed field.
                Answer with a JSON array and nothing else: [{"name": "...", "comparison_operator": "...", "value": ...}].
                Answer [] when the query says nothing about these fields.""".formatted(lines.toString().strip());
    }

    /** The model's answer as conditions on the allowed fields. */
    static MetadataFilter parse(String text, Map<String, String> fields, List<String> notes) {
        int start = text == null ? -1 : text.indexOf('[');
        int end = text == null ? -1 : text.lastIndexOf(']');
        if (start < 0 || end <= start) {
            notes.add("the model's metadata conditions were not a JSON array; the search ran without a metadata filter");
            return MetadataFilter.NONE;
        }
        List<?> items;
        try {
            items = JSON.readValue(text.substring(start, end + 1), List.class);
        } catch (JsonProcessingException e) {
            notes.add("the model's metadata conditions were not valid JSON; the search ran without a metadata filter");
            return MetadataFilter.NONE;
        }
        List<Condition> conditions = new ArrayList<>();
        for (Object item : items) {
            if (conditions.size() == MAX_CONDITIONS) {
                notes.add("the model wrote more than " + MAX_CONDITIONS + " metadata conditions; the rest were left out");
                break;
            }
            if (!(item instanceof Map<?, ?> condition) || !(condition.get("name") instanceof String field)
                    || !(condition.get("comparison_operator") instanceof String operatorName)) {
                notes.add("a metadata condition the model wrote has no name or operator and was left out");
                continue;
            }
            String type = fields.get(field);
            if (type == null) {
                notes.add("the model wrote a condition on '" + cut(field) + "', which is not a metadata field here;"
                        + " it was left out");
                continue;
            }
            Operator operator = MetadataConditions.operator(operatorName).orElse(null);
            Set<Operator> allowed = switch (type) {
                case "number" -> NUMBER;
                case "time" -> TIME;
                default -> TEXT;
            };
            if (operator == null || !allowed.contains(operator)) {
                notes.add("the model compared '" + field + "' (" + type + ") with '" + cut(operatorName)
                        + "', which does not apply; the condition was left out");
                continue;
            }
            Object value = condition.get("value");
            if (operator == Operator.EMPTY || operator == Operator.NOT_EMPTY) {
                conditions.add(new Condition(field, operator, null));
                continue;
            }
            if (type.equals("number")) {
                value = value instanceof Number n ? n : number(value);
            } else if (value != null && !(value instanceof String)) {
                value = value instanceof Number || value instanceof Boolean ? String.valueOf(value) : null;
            }
            if (value == null || value instanceof String s && s.isBlank()) {
                notes.add("the model's condition on '" + field + "' has no usable value and was left out");
                continue;
            }
            conditions.add(new Condition(field, operator, value));
        }
        return conditions.isEmpty() ? MetadataFilter.NONE : new MetadataFilter(MetadataFilter.Logic.AND, conditions);
    }

    private static Number number(Object value) {
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String cut(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    /** The trace of the conditions written. */
    static List<Map<String, Object>> trace(MetadataFilter filter) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Condition condition : filter.conditions()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", condition.key());
            item.put("comparison_operator", condition.operator().wireName());
            item.put("value", condition.value());
            out.add(item);
        }
        return out;
    }
}
