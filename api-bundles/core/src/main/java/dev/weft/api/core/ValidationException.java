package dev.weft.api.core;

import java.util.List;
import java.util.stream.Collectors;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A value was refused, with every reason at once rather than only the first.
 */
@ProviderType
public class ValidationException extends WeftException {

    private static final long serialVersionUID = 1L;

    /** The code every validation failure carries. */
    public static final String CODE = "invalid_param";

    private final transient List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        this(summarise(violations), violations);
    }

    public ValidationException(String message, List<Violation> violations) {
        super(CODE, message);
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    /** A failure with a single violation. */
    public static ValidationException of(String path, String message) {
        return new ValidationException(List.of(new Violation(path, message)));
    }

    /** Every reason the value was refused, in the order they were found. */
    public List<Violation> violations() {
        return violations;
    }

    private static String summarise(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
