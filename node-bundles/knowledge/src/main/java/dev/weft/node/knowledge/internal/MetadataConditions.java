package dev.weft.node.knowledge.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableView;
import dev.weft.spi.rag.MetadataFilter;
import dev.weft.spi.rag.MetadataFilter.Condition;
import dev.weft.spi.rag.MetadataFilter.Logic;
import dev.weft.spi.rag.MetadataFilter.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's {@code metadata_filtering_mode} and {@code metadata_filtering_conditions} as a
 * {@link MetadataFilter}, as Dify's manual mode builds its condition:
 * <ul>
 * <li>{@code logical_operator} {@code and} (the default) or {@code or};</li>
 * <li>each condition's {@code name} is the metadata key and its {@code comparison_operator} one of
 * Dify's names ({@code contains}, {@code not contains}, {@code start with}, {@code end with},
 * {@code is}, {@code is not}, {@code empty}, {@code not empty}, {@code =}, {@code ≠}, {@code >},
 * {@code <}, {@code ≥}, {@code ≤}, {@code before}, {@code after}); Dify's {@code in} and
 * {@code not in} have no counterpart in Weft's filter and are refused;</li>
 * <li>a text value is a template: its {@code {{#node.var#}}} references are filled in from the
 * run's variables, line breaks and tabs become spaces and the ends are trimmed (as Dify does); a
 * value that is exactly one reference to a number keeps the number;</li>
 * <li>a condition without a value (other than {@code empty} and {@code not empty}) is left out,
 * as Dify leaves it out.</li>
 * </ul>
 * Number operators given text that reads as a number get the number.
 *
 * <p>{@code automatic} mode has a model write the conditions from the query and the knowledge
 * bases' metadata fields: see {@link AutomaticMetadata}.
 */
final class MetadataConditions {

    /** A value that is one variable reference and nothing else. */
    private static final Pattern SINGLE_REFERENCE = Pattern.compile(
            "\\s*\\{\\{#([A-Za-z0-9_]{1,50}(?:\\.[A-Za-z_][A-Za-z0-9_]{0,29}){1,10})#}}\\s*");

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private MetadataConditions() {
    }

    /** The operator with this Dify name. */
    static Optional<Operator> operator(String difyName) {
        return Arrays.stream(Operator.values()).filter(o -> o.wireName().equals(difyName)).findFirst();
    }

    static boolean isNumeric(Operator operator) {
        return switch (operator) {
            case EQUAL, NOT_EQUAL, GREATER_THAN, LESS_THAN, GREATER_OR_EQUAL, LESS_OR_EQUAL -> true;
            default -> false;
        };
    }

    /** The filtering mode, {@code disabled} when the configuration does not set one. */
    static String mode(Map<String, Object> config) {
        return config.get("metadata_filtering_mode") instanceof String m ? m : "disabled";
    }

    /** Checks the mode, and in manual mode the conditions. */
    static void validate(Map<String, Object> config, List<Violation> problems) {
        Object mode = config.get("metadata_filtering_mode");
        if (mode != null && !(mode instanceof String m && RetrievalSettings.FILTERING_MODES.contains(m))) {
            problems.add(new Violation("/metadata_filtering_mode", "must be disabled, manual or automatic"));
            return;
        }
        if (!"manual".equals(mode)) {
            return;
        }
        Object conditionsValue = config.get("metadata_filtering_conditions");
        if (conditionsValue == null) {
            return;
        }
        if (!(conditionsValue instanceof Map<?, ?> block)) {
            problems.add(new Violation("/metadata_filtering_conditions", "must be an object {logical_operator, conditions}"));
            return;
        }
        Object logic = block.get("logical_operator");
        if (logic != null && !"and".equals(logic) && !"or".equals(logic)) {
            problems.add(new Violation("/metadata_filtering_conditions/logical_operator", "must be and or or"));
        }
        Object list = block.get("conditions");
        if (list == null) {
            return;
        }
        if (!(list instanceof List<?> conditions)) {
            problems.add(new Violation("/metadata_filtering_conditions/conditions", "must be a list"));
            return;
        }
        for (int i = 0; i < conditions.size(); i++) {
            String path = "/metadata_filtering_conditions/conditions/" + i;
            if (!(conditions.get(i) instanceof Map<?, ?> condition)) {
                problems.add(new Violation(path, "must be an object {name, comparison_operator, value}"));
                continue;
            }
            if (!(condition.get("name") instanceof String name) || name.isBlank()) {
                problems.add(new Violation(path + "/name", "needs the metadata field's name"));
            }
            Object operatorName = condition.get("comparison_operator");
            Optional<Operator> operator = operatorName instanceof String o ? operator(o) : Optional.empty();
            if (operator.isEmpty()) {
                problems.add(new Violation(path + "/comparison_operator", operatorName == null
                        ? "needs a comparison operator"
                        : "'" + operatorName + "' is not supported; use one of " + String.join(", ",
                                Arrays.stream(Operator.values()).map(Operator::wireName).toList())));
                continue;
            }
            Object value = condition.get("value");
            if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                problems.add(new Violation(path + "/value", "must be text or a number"));
            } else if (isNumeric(operator.get()) && value instanceof String text && !text.contains("{{#")
                    && !text.isBlank() && !NUMBER.matcher(text.strip()).matches()) {
                problems.add(new Violation(path + "/value", "'" + operator.get().wireName() + "' compares numbers"));
            }
        }
    }

    /**
     * The filter for a run: {@link MetadataFilter#NONE} unless the mode is manual. Conditions left
     * out and the automatic mode are reported in {@code notes}. Call only with a configuration that
     * {@link #validate} accepts.
     */
    static MetadataFilter filter(Map<String, Object> config, VariableView variables, List<String> notes) {
        String mode = mode(config);
        if (mode.equals("automatic")) {
            // the node has the model write them (AutomaticMetadata)
            return MetadataFilter.NONE;
        }
        if (!mode.equals("manual") || !(config.get("metadata_filtering_conditions") instanceof Map<?, ?> block)) {
            return MetadataFilter.NONE;
        }
        Logic logic = "or".equals(block.get("logical_operator")) ? Logic.OR : Logic.AND;
        List<Condition> conditions = new ArrayList<>();
        if (block.get("conditions") instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> condition) || !(condition.get("name") instanceof String name)
                        || !(condition.get("comparison_operator") instanceof String operatorName)) {
                    continue;
                }
                Operator operator = operator(operatorName).orElse(null);
                if (operator == null) {
                    continue;
                }
                if (operator == Operator.EMPTY || operator == Operator.NOT_EMPTY) {
                    conditions.add(new Condition(name, operator, null));
                    continue;
                }
                Object value = value(condition.get("value"), variables);
                if (value == null) {
                    notes.add("metadata condition on '" + name + "' (" + operatorName + ") has no value and was left out");
                    continue;
                }
                if (isNumeric(operator) && value instanceof String text && NUMBER.matcher(text).matches()) {
                    value = number(text);
                }
                conditions.add(new Condition(name, operator, value));
            }
        }
        return new MetadataFilter(logic, conditions);
    }

    /** The filter as the trace shows it, in Dify's words. */
    static Map<String, Object> trace(MetadataFilter filter) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logical_operator", filter.logic() == Logic.OR ? "or" : "and");
        List<Object> conditions = new ArrayList<>();
        for (Condition condition : filter.conditions()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", condition.key());
            item.put("comparison_operator", condition.operator().wireName());
            item.put("value", condition.value());
            conditions.add(item);
        }
        out.put("conditions", conditions);
        return out;
    }

    /** A condition's value for a run; null when it has none. */
    private static Object value(Object raw, VariableView variables) {
        if (!(raw instanceof String text)) {
            return raw;
        }
        Matcher single = SINGLE_REFERENCE.matcher(text);
        if (single.matches()) {
            Object value = variables.get(VariableSelector.parse(single.group(1))).orElse(null);
            if (value instanceof Number || value instanceof Boolean) {
                return value;
            }
        }
        return text.contains("{{#") ? clean(variables.render(text)) : clean(text);
    }

    private static String clean(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static Number number(String text) {
        try {
            return Long.valueOf(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            return Double.valueOf(text);
        }
    }
}
