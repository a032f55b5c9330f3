package dev.weft.spi.rag;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Conditions on chunks' metadata, all of which ({@link Logic#AND}) or any of which
 * ({@link Logic#OR}) must hold.
 */
@ProviderType
public record MetadataFilter(Logic logic, List<Condition> conditions) {

    /** How conditions combine. */
    @ProviderType
    public enum Logic {
        AND,
        OR
    }

    /** Comparison operators, as Dify names them. */
    @ProviderType
    public enum Operator {
        CONTAINS("contains"),
        NOT_CONTAINS("not contains"),
        START_WITH("start with"),
        END_WITH("end with"),
        IS("is"),
        IS_NOT("is not"),
        EMPTY("empty"),
        NOT_EMPTY("not empty"),
        EQUAL("="),
        NOT_EQUAL("≠"),
        GREATER_THAN(">"),
        LESS_THAN("<"),
        GREATER_OR_EQUAL("≥"),
        LESS_OR_EQUAL("≤"),
        BEFORE("before"),
        AFTER("after");

        private final String wireName;

        Operator(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * One condition.
     *
     * @param key the metadata key
     * @param operator the comparison
     * @param value the value compared with; null for {@code empty} and {@code not empty}
     */
    @ProviderType
    public record Condition(String key, Operator operator, Object value) {
        public Condition {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
        }
    }

    /** No condition: every chunk passes. */
    public static final MetadataFilter NONE = new MetadataFilter(Logic.AND, List.of());

    public MetadataFilter {
        Objects.requireNonNull(logic, "logic");
        conditions = List.copyOf(conditions);
    }
}
