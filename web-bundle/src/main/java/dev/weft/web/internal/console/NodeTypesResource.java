package dev.weft.web.internal.console;

import dev.weft.platform.registry.NodeTypeEntry;
import dev.weft.platform.registry.PluginRegistry;
import dev.weft.spi.node.NodeDescriptor;
import dev.weft.spi.node.VariableSpec;
import dev.weft.web.internal.console.Representations.NodeTypeJson;
import dev.weft.web.internal.console.Representations.NodeTypeList;
import dev.weft.web.internal.console.Representations.VariableJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/node-types}: every node type contributed, the serving one and the shadowed
 * ones, with their configuration schemas, for the editor's palette and the DSL importer.
 */
@Component(service = NodeTypesResource.class)
@JakartarsResource
@Path("/console/api/node-types")
@Produces(MediaType.APPLICATION_JSON)
public final class NodeTypesResource {

    private final PluginRegistry registry;

    @Activate
    public NodeTypesResource(@Reference PluginRegistry registry) {
        this.registry = registry;
    }

    @GET
    public NodeTypeList list() {
        return new NodeTypeList(registry.nodeTypes().stream().map(NodeTypesResource::json).toList());
    }

    /** The node type that serves a type id. */
    @GET
    @Path("{type}")
    public NodeTypeJson get(@PathParam("type") String type) {
        return registry.nodeTypes().stream()
                .filter(entry -> entry.descriptor().type().equals(type) && !entry.shadowed())
                .findFirst().map(NodeTypesResource::json)
                .orElseThrow(() -> new NotFoundException("No node type '" + printable(type) + "' is installed."));
    }

    static NodeTypeJson json(NodeTypeEntry entry) {
        NodeDescriptor d = entry.descriptor();
        return new NodeTypeJson(d.type(), d.version(), d.title(), d.description(), d.category(), entry.bundle(),
                entry.bundleVersion(), d.configSchema(), variables(d.inputs()), variables(d.outputs()), entry.shadowed());
    }

    private static List<VariableJson> variables(List<VariableSpec> specs) {
        return specs.stream().map(v -> new VariableJson(v.name(), v.type().wireName(), v.description(), v.required()))
                .toList();
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
