package dev.weft.node.logic.internal;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Groups of conditions as Dify writes them: {@code {logical_operator: and|or, conditions: [
 * {variable_selector, comparison_operator, value, sub_variable_condition}]}}. Values may hold
 * {@code {{#node.var#}}} references; a sub-condition filters the files of an array of files.
 */
final class Conditions {

    private Conditions() {
    }

    /** Whether a group holds. */
    static boolean hold(Object logical, List<?> conditions, VariableView variables) throws NodeException {
        boolean any = "or".equals(logical);
        if (conditions.isEmpty()) {
            return false;
        }
        for (Object item : conditions) {
            boolean holds = holds((Map<?, ?>) item, variables);
            if (any && holds) {
                return true;
            }
            if (!any && !holds) {
                return false;
            }
        }
        return !any;
    }

    private static boolean holds(Map<?, ?> condition, VariableView variables) throws NodeException {
        String operator = String.valueOf(condition.get("comparison_operator"));
        Object actual = VariableSelector.fromJson(condition.get("variable_selector"))
                .flatMap(variables::get).orElse(null);
        Object expected = rendered(condition.get("value"), variables);
        if (condition.get("sub_variable_condition") instanceof Map<?, ?> sub && sub.get("conditions") instanceof List<?> subs
                && !subs.isEmpty() && actual instanceof List<?> files) {
            return files(files, sub.get("logical_operator"), subs, variables);
        }
        return Comparison.holds(operator, actual, expected);
    }

    /** Sub-conditions on file attributes: each holds for any file ("not" operators: for every file). */
    private static boolean files(List<?> files, Object logical, List<?> subs, VariableView variables)
            throws NodeException {
        List<Boolean> results = new ArrayList<>();
        for (Object item : subs) {
            Map<?, ?> sub = (Map<?, ?>) item;
            String key = String.valueOf(sub.get("key"));
            String operator = String.valueOf(sub.get("comparison_operator"));
            Object expected = FileAttributes.expected(key, rendered(sub.get("value"), variables));
            boolean negative = operator.contains("not");
            boolean result = negative;
            for (Object file : files) {
                boolean holds = Comparison.holds(operator, FileAttributes.of(file, key), expected);
                result = negative ? result && holds : result || holds;
            }
            results.add(result);
        }
        return "or".equals(logical) ? results.contains(true) : !results.contains(false);
    }

    static Object rendered(Object value, VariableView variables) {
        if (value instanceof String text) {
            return variables.render(text);
        }
        if (value instanceof List<?> list) {
            List<Object> rendered = new ArrayList<>(list.size());
            list.forEach(item -> rendered.add(item instanceof String text ? variables.render(text) : item));
            return rendered;
        }
        return value;
    }

    /** Problems with a list of conditions, under a JSON pointer. */
    static List<Violation> check(Object conditions, String at) {
        List<Violation> problems = new ArrayList<>();
        if (!(conditions instanceof List<?> list)) {
            problems.add(new Violation(at, "must be a list of conditions"));
            return problems;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> condition)) {
                problems.add(new Violation(at + "/" + i, "must be a condition"));
                continue;
            }
            Object operator = condition.get("comparison_operator");
            if (!(operator instanceof String name) || !Comparison.OPERATORS.contains(name)
                    && !List.of("==", "!=", ">=", "<=").contains(name)) {
                problems.add(new Violation(at + "/" + i + "/comparison_operator", "unknown operator " + operator));
            }
        }
        return problems;
    }
}
