package dev.weft.web.internal.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.platform.store.ConversationRecord;
import dev.weft.platform.store.ConversationVariableRecord;
import dev.weft.web.internal.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chatflow's conversation variables as Dify lists them: each variable the app declares
 * ({@code workflow.conversation_variables}: id, name, value_type, default value, description) with
 * the value the conversation holds, or its default while the conversation never set it.
 */
public final class ConversationVariables {

    private final List<Map<String, Object>> declared;

    private ConversationVariables(List<Map<String, Object>> declared) {
        this.declared = declared;
    }

    /** The variables a graph app's DSL document declares; none for other apps. */
    public static ConversationVariables of(Map<String, Object> document) {
        List<Map<String, Object>> declared = new ArrayList<>();
        if (document.get("workflow") instanceof Map<?, ?> workflow
                && workflow.get("conversation_variables") instanceof List<?> variables) {
            for (Object item : variables) {
                if (item instanceof Map<?, ?> variable && variable.get("name") instanceof String) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> typed = (Map<String, Object>) variable;
                    declared.add(typed);
                }
            }
        }
        return new ConversationVariables(declared);
    }

    /** Every declared variable with the conversation's values, in the order the app declares them. */
    public List<Map<String, Object>> items(ConversationRecord conversation, List<ConversationVariableRecord> stored) {
        Map<String, ConversationVariableRecord> byName = new LinkedHashMap<>();
        stored.forEach(v -> byName.put(v.name(), v));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> declaration : declared) {
            items.add(item(declaration, conversation, byName.get((String) declaration.get("name"))));
        }
        return items;
    }

    /** The declaration of a variable by its id, or by its name (ids are optional in older DSL files). */
    public Map<String, Object> find(String idOrName) {
        for (Map<String, Object> declaration : declared) {
            if (idOrName.equals(declaration.get("id"))) {
                return declaration;
            }
        }
        for (Map<String, Object> declaration : declared) {
            if (idOrName.equals(declaration.get("name"))) {
                return declaration;
            }
        }
        return null;
    }

    /** One variable as the API shows it. */
    public static Map<String, Object> item(Map<String, Object> declaration, ConversationRecord conversation,
            ConversationVariableRecord storedOrNull) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", declaration.get("id") == null ? declaration.get("name") : declaration.get("id"));
        item.put("name", declaration.get("name"));
        item.put("value_type", declaration.get("value_type"));
        item.put("value", storedOrNull == null ? declaration.get("value") : parse(storedOrNull.value()));
        item.put("description", declaration.get("description") == null ? "" : declaration.get("description"));
        item.put("created_at", seconds(storedOrNull == null ? conversation.createdAt() : storedOrNull.createdAt()));
        item.put("updated_at", seconds(storedOrNull == null ? conversation.updatedAt() : storedOrNull.updatedAt()));
        return item;
    }

    /**
     * What is wrong with a value for a variable of this type ({@code string}, {@code number},
     * {@code integer}, {@code boolean}, {@code object}, {@code array[string]},
     * {@code array[number]}, {@code array[object]}, {@code array[boolean]}, {@code array[any]}), or
     * null when it fits. A null value never fits: a variable is cleared by setting its empty value.
     */
    public static String mismatch(String valueType, Object value) {
        String type = valueType == null ? "" : valueType;
        if (value == null) {
            return "value must not be null";
        }
        boolean fits = switch (type) {
            case "string" -> value instanceof String;
            case "number" -> value instanceof Number;
            case "integer" -> value instanceof Integer || value instanceof Long
                    || value instanceof java.math.BigInteger;
            case "boolean" -> value instanceof Boolean;
            case "object" -> value instanceof Map<?, ?>;
            case "array[string]" -> value instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
            case "array[number]" -> value instanceof List<?> list && list.stream().allMatch(Number.class::isInstance);
            case "array[object]" -> value instanceof List<?> list && list.stream().allMatch(Map.class::isInstance);
            case "array[boolean]" -> value instanceof List<?> list && list.stream().allMatch(Boolean.class::isInstance);
            case "array[any]", "array" -> value instanceof List<?>;
            default -> true;
        };
        return fits ? null : "value must be of type " + type;
    }

    private static Object parse(String json) {
        try {
            return Json.mapper().readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Long seconds(java.time.Instant at) {
        return at == null ? null : at.getEpochSecond();
    }
}
