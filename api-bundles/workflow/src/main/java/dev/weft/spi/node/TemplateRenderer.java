package dev.weft.spi.node;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Renders Jinja2 templates for nodes, as a service: the template-transform node and the LLM node's
 * {@code jinja2} prompt messages share one engine instead of each embedding their own.
 *
 * <p>Templates are written by app authors and values come from end users, so an implementation
 * fences rendering in:
 * <ul>
 * <li>no template reads another template, a file or a URL ({@code include}, {@code import},
 * {@code from} and {@code extends} fail);</li>
 * <li>values are data: a value that looks like a template is output as it is, never rendered
 * again, and Java members of values are out of reach;</li>
 * <li>output, strings, collections, ranges and recursion are capped (the built-in renderer
 * allows 400,000 characters of output, Dify's {@code TEMPLATE_TRANSFORM_MAX_LENGTH});</li>
 * <li>a render that runs too long (the built-in renderer: 10 seconds) is stopped.</li>
 * </ul>
 *
 * <p>Implementations are safe to call from many threads at once. A node that renders through
 * this service should reference it optionally and dynamically and look it up at each use: the
 * bundle that provides it may come, go or be replaced while the node is active.
 */
@ProviderType
public interface TemplateRenderer {

    /**
     * Renders {@code template} with {@code variables} as its names.
     *
     * @param template the Jinja2 template text
     * @param variables each name the template may use, with its value: JSON-like values (text,
     *        numbers, booleans, lists, maps, {@code null}) as {@link VariableView#get} gives them;
     *        a name the map does not hold renders as empty text
     * @return the rendered text
     * @throws NodeException {@code template_error} when the template has a syntax error or fails
     *         while it renders (the message names the line when it is known);
     *         {@code template_limit} when a limit is exceeded (output size, collection size,
     *         time); {@code template_not_found} when the template tries to read another
     *         template; {@code stopped} when the calling thread is interrupted while it waits
     */
    String render(String template, Map<String, Object> variables) throws NodeException;
}
