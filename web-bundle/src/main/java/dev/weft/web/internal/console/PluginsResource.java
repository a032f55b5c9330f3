package dev.weft.web.internal.console;

import dev.weft.platform.registry.BundleReport;
import dev.weft.platform.registry.PluginRegistry;
import dev.weft.web.internal.console.Representations.BundleJson;
import dev.weft.web.internal.console.Representations.PluginList;
import dev.weft.web.internal.console.Representations.ServiceJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/plugins}: the installed bundles with their state, contributions and failures,
 * and a stream of change notifications.
 */
@Component(service = PluginsResource.class)
@JakartarsResource
@Path("/console/api/plugins")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginsResource {

    private final PluginRegistry registry;
    private final ChangeStream changes = new ChangeStream();

    @Activate
    public PluginsResource(@Reference PluginRegistry registry) {
        this.registry = registry;
    }

    @Deactivate
    void deactivate() {
        changes.close();
    }

    /** Every bundle, then the jars of deploy/ that are not installed. */
    @GET
    public PluginList list() {
        return new PluginList(registry.bundles().stream().map(this::json).toList());
    }

    /**
     * Server-sent events: {@code ready} on connect and {@code plugins_changed} whenever the list
     * changes, each with {@code {"generation": n}}.
     */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink, @Context Sse sse) {
        changes.open(sink, sse, registry::subscribe, registry::generation, "plugins_changed",
                generation -> "{\"generation\":" + generation + "}");
    }

    private BundleJson json(BundleReport bundle) {
        return new BundleJson(bundle.id(), bundle.symbolicName(), bundle.version(), bundle.state(), bundle.fragment(),
                bundle.source(), bundle.location(),
                bundle.services().stream().map(s -> new ServiceJson(s.kind(), s.id(), s.version())).toList(),
                bundle.error());
    }
}
