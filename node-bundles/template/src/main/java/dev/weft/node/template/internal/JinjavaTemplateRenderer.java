package dev.weft.node.template.internal;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context.Library;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.TemplateRenderer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;

/**
 * The platform's {@link TemplateRenderer}: Jinja2 rendered by the Jinjava this bundle embeds. The
 * template-transform node renders with it, and other bundles (the LLM node's {@code jinja2}
 * prompts) get it as a service, so Jinjava is embedded, configured and fenced in only here.
 *
 * <p>Templates come from app authors, and values from end users, so rendering is fenced in: no
 * include, import, from or extends (no file or URL is ever read); values are data, never rendered
 * again; output, ranges, lists, strings and nesting are capped; a render that takes longer than
 * {@link #TIME_LIMIT} is interrupted and fails.
 */
@Component(service = TemplateRenderer.class)
public final class JinjavaTemplateRenderer implements TemplateRenderer {

    /** Dify's {@code TEMPLATE_TRANSFORM_MAX_LENGTH}. */
    static final int MAX_OUTPUT = 400_000;
    static final Duration TIME_LIMIT = Duration.ofSeconds(10);
    static final int MAX_RANGE = 10_000;

    private final Jinjava jinjava;
    private final Duration timeLimit;

    public JinjavaTemplateRenderer() {
        this(TIME_LIMIT);
    }

    JinjavaTemplateRenderer(Duration timeLimit) {
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

    /**
     * Renders on a thread of its own, so that a render running past the time limit can be
     * interrupted; the caller waits for it.
     */
    @Override
    public String render(String template, Map<String, Object> variables) throws NodeException {
        CompletableFuture<RenderResult> rendering = new CompletableFuture<>();
        Thread renderer = Thread.ofVirtual().name("weft-template").start(() -> {
            try {
                rendering.complete(withBundleLoader(() -> jinjava.renderForResult(template, variables)));
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
            case MISSING, DISABLED -> "template_not_found";
            default -> message.contains("limit") || message.contains("too big") || message.contains("exceeded")
                    ? "template_limit" : "template_error";
        };
        String line = error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : "";
        return new NodeException(code, message + line);
    }

    /** Templates may not read other templates, files or URLs. */
    private static final class NoResources implements ResourceLocator {
        @Override
        public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter)
                throws java.io.IOException {
            throw new ResourceNotFoundException("templates cannot read other templates, files or URLs: " + fullName);
        }
    }

    /** Jinjava finds its parts through the thread context class loader: make it this bundle's. */
    private static <T> T withBundleLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JinjavaTemplateRenderer.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
