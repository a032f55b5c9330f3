package dev.weft.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

    @Test
    void should_accept_nested_json_values() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "x");
        value.put("missing", null);
        value.put("items", List.of(1, 2.5, true, Map.of("k", "v")));

        assertThat(JsonValues.isJsonValue(value)).isTrue();
    }

    @Test
    void should_refuse_objects_cycles_and_non_finite_numbers() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);

        assertThat(JsonValues.isJsonValue(new Object())).isFalse();
        assertThat(JsonValues.isJsonValue(Map.of(1, "not a string key"))).isFalse();
        assertThat(JsonValues.isJsonValue(Double.NaN)).isFalse();
        assertThat(JsonValues.isJsonValue(cycle)).isFalse();
    }

    @Test
    void should_copy_deeply_and_unmodifiably_keeping_key_order() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("a", 1);
        Map<String, Object> original = new LinkedHashMap<>();
        original.put("z", inner);
        original.put("b", null);

        Map<String, Object> copy = JsonValues.copyOfObject(original);
        inner.put("a", 2);

        assertThat(copy.keySet()).containsExactly("z", "b");
        assertThat(JsonValues.at(copy, List.of("z", "a"))).contains(1);
        assertThatThrownBy(() -> copy.put("c", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void should_follow_member_names_and_list_indices() {
        Object value = Map.of("items", List.of(Map.of("name", "first"), Map.of("name", "second")));

        assertThat(JsonValues.at(value, List.of("items", "1", "name"))).contains("second");
        assertThat(JsonValues.at(value, List.of("items", "2", "name"))).isEmpty();
        assertThat(JsonValues.at(value, List.of("items", "-1"))).isEmpty();
        assertThat(JsonValues.at(value, List.of("nope"))).isEmpty();
    }

    @Test
    void should_report_the_member_path_when_a_member_has_the_wrong_type() {
        assertThatThrownBy(() -> JsonValues.string(Map.of("mode", 3), "mode"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_param");
                    assertThat(e.violations()).containsExactly(new Violation("/mode", "must be a string, not a number"));
                });
    }
}
