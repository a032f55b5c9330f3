package dev.weft.node.logic.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code list-operator}: filters ({@code filter_by}), picks one item ({@code extract_by}, from 1),
 * sorts ({@code order_by}) and cuts ({@code limit}) an array of text, numbers, booleans or files,
 * in that order. Outputs {@code result}, {@code first_record} and {@code last_record}.
 */
@Component(service = NodeType.class)
public final class ListOperatorNode implements NodeType {

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("list-operator", "1", "List Operator",
            "Filters, sorts and cuts an array.", "transform",
            Map.of("type", "object", "required", List.of("variable"), "properties", Map.of(
                    "variable", Map.of("type", "array"), "filter_by", Map.of("type", "object"),
                    "order_by", Map.of("type", "object"), "limit", Map.of("type", "object"),
                    "extract_by", Map.of("type", "object"))),
            List.of(), List.of(VariableSpec.of("result", VariableType.ARRAY_ANY),
                    VariableSpec.of("first_record", VariableType.ANY), VariableSpec.of("last_record", VariableType.ANY)));

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (VariableSelector.fromJson(config.get("variable")).isEmpty()) {
            problems.add(new Violation("/variable", "must select the array to operate on"));
        }
        if (section(config, "filter_by") != null && section(config, "filter_by").get("conditions") != null) {
            problems.addAll(Conditions.check(section(config, "filter_by").get("conditions"), "/filter_by/conditions"));
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        Map<String, Object> config = context.config();
        VariableSelector selector = VariableSelector.fromJson(config.get("variable"))
                .orElseThrow(() -> new NodeException("invalid_config", "the list operator has no input variable"));
        Object input = context.variables().get(selector)
                .orElseThrow(() -> new NodeException("variable_missing", "the variable " + selector + " is not set"));
        if (!(input instanceof List<?> values)) {
            throw new NodeException("input_invalid", "the variable " + selector + " is not an array");
        }
        List<Object> items = new ArrayList<>(values);
        if (enabled(config, "filter_by")) {
            items = filter(items, section(config, "filter_by").get("conditions"), context);
        }
        if (enabled(config, "extract_by")) {
            items = extract(items, section(config, "extract_by").get("serial"), context);
        }
        if (enabled(config, "order_by")) {
            sort(items, section(config, "order_by"));
        }
        if (enabled(config, "limit") && section(config, "limit").get("size") instanceof Number size) {
            items = new ArrayList<>(items.subList(0, Math.min(items.size(), Math.max(0, size.intValue()))));
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("result", items);
        outputs.put("first_record", items.isEmpty() ? null : items.get(0));
        outputs.put("last_record", items.isEmpty() ? null : items.get(items.size() - 1));
        return NodeResult.of(outputs);
    }

    private static List<Object> filter(List<Object> items, Object conditions, NodeContext context) throws NodeException {
        List<Object> kept = new ArrayList<>();
        List<?> list = conditions instanceof List<?> given ? given : List.of();
        for (Object item : items) {
            boolean keep = true;
            for (Object entry : list) {
                Map<?, ?> condition = (Map<?, ?>) entry;
                String key = condition.get("key") instanceof String text ? text : "";
                Object value = item instanceof Map<?, ?> && !key.isEmpty() ? FileAttributes.of(item, key) : item;
                Object expected = FileAttributes.expected(key, Conditions.rendered(condition.get("value"), context.variables()));
                if (!Comparison.holds(String.valueOf(condition.get("comparison_operator")), value, expected)) {
                    keep = false;
                    break;
                }
            }
            if (keep) {
                kept.add(item);
            }
        }
        return kept;
    }

    private static List<Object> extract(List<Object> items, Object serial, NodeContext context) throws NodeException {
        Object rendered = serial instanceof String text ? context.variables().render(text) : serial;
        BigDecimal position = Comparison.number(rendered);
        if (position == null || position.intValue() < 1) {
            throw new NodeException("input_invalid", "extract_by.serial must be a position from 1, not " + rendered);
        }
        int index = position.intValue() - 1;
        if (index >= items.size()) {
            throw new NodeException("input_invalid", "cannot take item " + (index + 1) + " of " + items.size());
        }
        List<Object> one = new ArrayList<>();
        one.add(items.get(index));
        return one;
    }

    private static void sort(List<Object> items, Map<?, ?> order) {
        String key = order.get("key") instanceof String text ? text : "";
        Comparator<Object> comparator = Comparator.comparing(item -> sortKey(item, key),
                Comparator.nullsLast(ListOperatorNode::compare));
        items.sort("desc".equals(order.get("value")) ? comparator.reversed() : comparator);
    }

    private static Object sortKey(Object item, String key) {
        return item instanceof Map<?, ?> && !key.isEmpty() ? FileAttributes.of(item, key) : item;
    }

    private static int compare(Object left, Object right) {
        BigDecimal a = left instanceof Boolean ? null : Comparison.number(left);
        BigDecimal b = right instanceof Boolean ? null : Comparison.number(right);
        if (a != null && b != null) {
            return a.compareTo(b);
        }
        return String.valueOf(left).compareTo(String.valueOf(right));
    }

    private static boolean enabled(Map<String, Object> config, String name) {
        Map<?, ?> section = section(config, name);
        return section != null && Boolean.TRUE.equals(section.get("enabled"));
    }

    private static Map<?, ?> section(Map<String, Object> config, String name) {
        return config.get(name) instanceof Map<?, ?> section ? section : null;
    }
}
