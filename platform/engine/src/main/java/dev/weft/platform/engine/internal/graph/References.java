package dev.weft.platform.engine.internal.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the variables a node's configuration refers to: selectors ({@code [node_id, name, ...]}
 * under keys ending in {@code selector}, and the lists of selectors of variable aggregators) and
 * {@code {{#node.name#}}} references in text.
 */
public final class References {

    /** Dify's reference syntax: a node id, then 1 to 10 dotted names. */
    public static final Pattern TEMPLATE = Pattern.compile(
            "\\{\\{#([A-Za-z0-9_]{1,50}(?:\\.[A-Za-z_][A-Za-z0-9_]{0,29}){1,10})#}}");

    /**
     * A reference found in a node's configuration.
     *
     * @param selector the variable: node id (or sys, env, conversation), name, path
     * @param where a JSON pointer to the value holding it
     * @param inText whether it was written as {@code {{#...#}}} in text
     */
    public record Reference(List<String> selector, String where, boolean inText) {
    }

    private References() {
    }

    public static List<Reference> in(Map<String, Object> data) {
        List<Reference> found = new ArrayList<>();
        walk(data, "", null, found);
        return found;
    }

    private static void walk(Object value, String pointer, String key, List<Reference> found) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, pointer + "/" + k, String.valueOf(k), found));
        } else if (value instanceof List<?> list) {
            if (key != null && key.endsWith("selector")) {
                selector(list).ifPresent(selector -> found.add(new Reference(selector, pointer, false)));
                return;
            }
            boolean listOfSelectors = "variables".equals(key) && !list.isEmpty() && list.get(0) instanceof List<?>;
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                if (listOfSelectors && item instanceof List<?> inner) {
                    int index = i;
                    selector(inner).ifPresent(selector -> found.add(new Reference(selector, pointer + "/" + index, false)));
                } else {
                    walk(item, pointer + "/" + i, null, found);
                }
            }
        } else if (value instanceof String text && text.contains("{{#")) {
            Matcher matcher = TEMPLATE.matcher(text);
            while (matcher.find()) {
                found.add(new Reference(List.of(matcher.group(1).split("\\.")), pointer, true));
            }
        }
    }

    /** A list of at least two non-empty strings, as selectors are; empty lists mean "not set". */
    private static java.util.Optional<List<String>> selector(List<?> list) {
        if (list.size() < 2) {
            return java.util.Optional.empty();
        }
        List<String> parts = new ArrayList<>(list.size());
        for (Object part : list) {
            String text = part instanceof Number number ? String.valueOf(number) : part instanceof String s ? s : null;
            if (text == null || text.isEmpty()) {
                return java.util.Optional.empty();
            }
            parts.add(text);
        }
        return java.util.Optional.of(parts);
    }
}
