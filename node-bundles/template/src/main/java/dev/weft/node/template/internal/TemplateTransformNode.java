package dev.weft.node.template.internal;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.Context.Library;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import dev.weft.api.core.Violation;
import dev.weft.spi.node.NodeContext;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import dev.weft.spi.node.NodeType;
import dev.weft.spi.node.VariableSelector;
import dev.weft.spi.node.VariableSpec;
import dev.weft.spi.node.VariableType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;

/**
 * {@code template-transform}: renders a Jinja2 {@code template} with the node's {@code variables}
 * ({@code {variable, value_selector}}) as its names, into {@code output}.
 *
 * <p>Templates come from app authors, and values from end users, so rendering is fenced in: no
 * include, import, from or extends (no file or URL is ever read); values are data, never rendered
 * again; output, ranges, lists, strings and nesting are capped; a render that takes longer than
 * {@link #TIME_LIMIT} is interrupted and fails the node.
 */
@Component(service = NodeType.class)
public final class TemplateTransformNode implements NodeType {

    /** Dify's {@code TEMPLATE_TRANSFORM_MAX_LENGTH}. */
    static final int MAX_OUTPUT = 400_000;
    static final Duration TIME_LIMIT = Duration.ofSeconds(10);
    static final int MAX_RANGE = 10_000;

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor("template-transform", "1", "Template",
            "Renders a Jinja2 template with variables.", "transform",
            Map.of("type", "object", "required", List.of("template"), "properties", Map.of(
                    "template", Map.of("type", "string"), "variables", Map.of("type", "array"))),
            List.of(), List.of(VariableSpec.of("output", VariableType.STRING)));

    private final Jinjava jinjava;
    private final Duration timeLimit;

    public TemplateTransformNode() {
        this(TIME_LIMIT);
    }

    TemplateTransformNode(Duration timeLimit) {
        this.timeLimit = timeLimit;
        this.jinjava = withBundleLoader(() -> {
            JinjavaConfig config = JinjavaConfig.newBuilder()
                    .withMaxOutputSize(MAX_OUTPUT)
                    .withMaxStringLength(MAX_OUTPUT)
                    .withMaxListSize(100_000)
                    .withMaxMapSize(100_000)
                    .withRangeLimit(MAX_RANGE)
                    .withMaxRenderDepth(10)
                    .withMaxMacroRecursionDepth(20)
                    .withEnableRecursiveMacroCalls(false)
                    .withNestedInterpretationEnabled(false)
                    .withFailOnUnknownTokens(false)
                    .withDisabled(Map.of(Library.TAG, Set.of("include", "import", "from", "extends")))
                    .build();
            Jinjava engine = new Jinjava(config);
            engine.setResourceLocator(new NoResources());
            return engine;
        });
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Violation> validate(Map<String, Object> config) {
        List<Violation> problems = new ArrayList<>();
        if (!(config.get("template") instanceof String)) {
            problems.add(new Violation("/template", "must be text"));
        }
        if (config.get("variables") != null && !(config.get("variables") instanceof List<?>)) {
            problems.add(new Violation("/variables", "must be a list"));
        } else if (config.get("variables") instanceof List<?> variables) {
            for (int i = 0; i < variables.size(); i++) {
                if (!(variables.get(i) instanceof Map<?, ?> variable) || !(variable.get("variable") instanceof String name)
                        || name.isBlank()) {
                    problems.add(new Violation("/variables/" + i, "needs a variable name"));
                }
            }
        }
        return problems;
    }

    @Override
    public NodeResult execute(NodeContext context) throws NodeException {
        String template = context.config().get("template") instanceof String text ? text : "";
        Map<String, Object> bindings = new LinkedHashMap<>();
        if (context.config().get("variables") instanceof List<?> variables) {
            for (Object item : variables) {
                if (item instanceof Map<?, ?> variable && variable.get("variable") instanceof String name) {
                    bindings.put(name, VariableSelector.fromJson(variable.get("value_selector"))
                            .flatMap(selector -> context.variables().get(selector)).orElse(null));
                }
            }
        }
        String output = render(template, bindings);
        return NodeResult.of(Map.of("output", output)).withInputs(bindings);
    }

    /** Renders on a thread of its own, so that a render running past the time limit can be interrupted. */
    String render(String template, Map<String, Object> bindings) throws NodeException {
        CompletableFuture<RenderResult> rendering = new CompletableFuture<>();
        Thread renderer = Thread.ofVirtual().name("weft-template").start(() -> {
            try {
                rendering.complete(withBundleLoader(() -> jinjava.renderForResult(template, bindings)));
            } catch (RuntimeException | StackOverflowError e) {
                rendering.completeExceptionally(e);
            }
        });
        RenderResult result;
        try {
            result = rendering.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            renderer.interrupt();
            throw new NodeException("template_limit", "the template took longer than " + timeLimit.toMillis()
                    + " ms to render");
        } catch (InterruptedException e) {
            renderer.interrupt();
            Thread.currentThread().interrupt();
            throw new NodeException("stopped", "the run was stopped");
        } catch (ExecutionException e) {
            throw new NodeException("template_error", "the template could not be rendered: " + e.getCause().getMessage());
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(error);
            }
        }
        String output = result.getOutput();
        if (output.length() > MAX_OUTPUT) {
            throw new NodeException("template_limit", "the output is longer than " + MAX_OUTPUT + " characters");
        }
        return output;
    }

    private static NodeException failure(TemplateError error) {
        String message = error.getMessage() == null ? "unknown error" : error.getMessage();
        String code = switch (error.getReason()) {
            case OUTPUT_TOO_BIG, COLLECTION_TOO_BIG, OVER_LIMIT -> "template_limit";
            case MISSING -> "template_not_found";
            case DISABLED -> "template_not_found";
            default -> message.contains("limit") || message.contains("too big") || message.contains("exceeded")
                    ? "template_limit" : "template_error";
        };
        String line = error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : "";
        return new NodeException(code, message + line);
    }

    /** Templates may not read other templates, files or URLs. */
    private static final class NoResources implements ResourceLocator {
        @Override
        public String getString(String fullName, java.nio.charset.Charset encoding,
                com.hubspot.jinjava.interpret.JinjavaInterpreter interpreter) throws java.io.IOException {
            throw new ResourceNotFoundException("templates cannot read other templates, files or URLs: " + fullName);
        }
    }

    /** Jinjava finds its parts through the thread context class loader: make it this bundle's. */
    private static <T> T withBundleLoader(java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TemplateTransformNode.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
