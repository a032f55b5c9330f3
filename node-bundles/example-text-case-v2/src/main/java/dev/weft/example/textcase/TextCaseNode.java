package dev.weft.example.textcase;

import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code example.text-case}: renders a text template (with {@code {{#node.var#}}} references) and
 * changes its case.
 *
 * <p>Configuration: {@code text} (required, the template) and {@code case} ({@code upper},
 * {@code lower} or, since 1.1, {@code title}; default {@code upper}). Output: {@code text}.
 */
@Component(service = NodeType.class)
public final class TextCaseNode implements NodeType {

    static final List<String> CASES = List.of("upper", "lower", "title");

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(
            "example.text-case",
            "2",
            "Text case",
            "Changes the case of a text.",
            "transform",
            Map.of(
                    "type", "object",
                    "required", List.of("text"),
                    "properties", Map.of(
                            "text", Map.of("type", "string", "title", "Text",
                                    "description", "The text; may reference variables as {{#node.var#}}"),
                            "case", Map.of("type", "string", "title", "Case", "enum", CASES, "default", "upper"))),
            List.of(),
            List.of(VariableSpec.of("text", VariableType.STRING)));

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (!(config.get("text") instanceof String)) {
            problems.add(new Violation("/text", "is required and must be a string"));
        }
        Object mode = config.getOrDefault("case", "upper");
        if (!CASES.contains(mode)) {
            problems.add(new Violation("/case", "must be one of " + CASES));
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        List<Violation> problems = validate(context.config());
        if (!problems.isEmpty()) {
            throw new NodeException("invalid_config", problems.toString());
        }
        String text = context.variables().render((String) context.config().get("text"));
        String mode = (String) context.config().getOrDefault("case", "upper");
        String changed = switch (mode) {
            case "lower" -> text.toLowerCase(Locale.ROOT);
            case "title" -> titleCase(text);
            default -> text.toUpperCase(Locale.ROOT);
        };
        return NodeResult.of(Map.of("text", changed)).withInputs(Map.of("text", text, "case", mode));
    }

    /** Upper-cases the first letter of every word and lower-cases the rest. */
    static String titleCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean wordStart = true;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (Character.isLetterOrDigit(codePoint)) {
                out.appendCodePoint(wordStart ? Character.toTitleCase(codePoint) : Character.toLowerCase(codePoint));
                wordStart = false;
            } else {
                out.appendCodePoint(codePoint);
                wordStart = !(codePoint == '\'' || codePoint == '\u2019');
            }
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }
}
