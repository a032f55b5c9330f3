/**
 * The node-type SPI: how a plug-in adds a kind of node to Weft's workflow graphs.
 *
 * <p>A node type is a {@link dev.weft.spi.node.NodeType} service. It describes itself with a
 * {@link dev.weft.spi.node.NodeDescriptor} (type id, version, title, the JSON schema of its
 * configuration, its input and output variables) and executes one node of a run at a time. The
 * engine calls {@link dev.weft.spi.node.NodeType#execute(NodeContext)} on a virtual thread with a
 * {@link dev.weft.spi.node.NodeContext}: the node's configuration (the {@code data} block of the
 * DSL), a read-only {@link dev.weft.spi.node.VariableView} of the run's variable pool, and a sink
 * for streamed output. The node answers with a {@link dev.weft.spi.node.NodeResult} (outputs, and
 * for branching nodes the handle of the edge to follow) or throws a
 * {@link dev.weft.spi.node.NodeException}. Only the engine writes variables; retries, error
 * strategies, limits and persistence wrap node types from outside. Services that nodes share are
 * here too: a {@link dev.weft.spi.node.TemplateRenderer} renders Jinja2 templates.
 *
 * <p>Built-in node types use Dify's type ids ({@code start}, {@code if-else}, {@code llm});
 * community node types use {@code <vendor>.<name>}. A minimal node type is one Declarative
 * Services component:
 *
 * <pre>{@code
 * @Component(service = NodeType.class)
 * public class Shout implements NodeType {
 *     public NodeDescriptor descriptor() { return DESCRIPTOR; }
 *     public List<Violation> validate(Map<String, Object> config) { return List.of(); }
 *     public NodeResult execute(NodeContext context) {
 *         String text = context.variables().render((String) context.config().get("text"));
 *         return NodeResult.of(Map.of("text", text.toUpperCase(Locale.ROOT)));
 *     }
 * }
 * }</pre>
 */
@Export
@Version("1.1.0")
package dev.weft.spi.node;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
