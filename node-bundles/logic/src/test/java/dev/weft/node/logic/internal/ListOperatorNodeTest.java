package dev.weft.node.logic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.node.NodeResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListOperatorNodeTest {

    private final ListOperatorNode node = new ListOperatorNode();

    @Test
    void filters_sorts_and_limits_numbers() {
        NodeResult result = node.execute(TestNodeContext.of(Map.of("variable", List.of("start", "xs"),
                "filter_by", Map.of("enabled", true, "conditions", List.of(
                        Map.of("key", "", "comparison_operator", ">", "value", "2"))),
                "order_by", Map.of("enabled", true, "key", "", "value", "desc"),
                "limit", Map.of("enabled", true, "size", 2))).with("start.xs", List.of(5L, 1L, 9L, 3L, 2L)));

        assertThat(result.outputs()).containsEntry("result", List.of(9L, 5L)).containsEntry("first_record", 9L)
                .containsEntry("last_record", 5L);
    }

    @Test
    void filters_and_sorts_files_by_attribute() {
        List<Map<String, Object>> files = List.of(
                Map.of("filename", "b.png", "type", "image", "size", 300),
                Map.of("filename", "a.pdf", "type", "document", "size", 100),
                Map.of("filename", "c.jpg", "type", "image", "size", 200));

        NodeResult result = node.execute(TestNodeContext.of(Map.of("variable", List.of("start", "files"),
                "filter_by", Map.of("enabled", true, "conditions", List.of(
                        Map.of("key", "type", "comparison_operator", "is", "value", "image"))),
                "order_by", Map.of("enabled", true, "key", "size", "value", "asc"))).with("start.files", files));

        assertThat(((List<?>) result.outputs().get("result")).stream().map(f -> ((Map<?, ?>) f).get("filename")).toList())
                .isEqualTo(List.of("c.jpg", "b.png"));
    }

    @Test
    void extracts_one_item_by_position_from_one() {
        NodeResult result = node.execute(TestNodeContext.of(Map.of("variable", List.of("start", "xs"),
                "extract_by", Map.of("enabled", true, "serial", "{{#start.n#}}")))
                .with("start.xs", List.of("a", "b", "c")).with("start.n", "2"));

        assertThat(result.outputs()).containsEntry("result", List.of("b"));
    }

    @Test
    void an_empty_result_has_no_first_or_last_record_and_a_non_array_fails() {
        NodeResult empty = node.execute(TestNodeContext.of(Map.of("variable", List.of("start", "xs")))
                .with("start.xs", List.of()));

        assertThat(empty.outputs()).containsEntry("first_record", null).containsEntry("last_record", null);
        assertThatThrownBy(() -> node.execute(TestNodeContext.of(Map.of("variable", List.of("start", "xs")))
                .with("start.xs", "text"))).hasMessageContaining("is not an array");
    }
}
