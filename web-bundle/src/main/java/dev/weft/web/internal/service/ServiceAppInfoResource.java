package dev.weft.web.internal.service;

import dev.weft.web.internal.auth.Access;
import dev.weft.web.internal.auth.Caller;
import dev.weft.web.internal.auth.Callers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * What a published app says of itself under {@code /v1} with its key: {@code parameters},
 * {@code info}, {@code meta} and {@code site}.
 */
@Component(service = ServiceAppInfoResource.class)
@JakartarsResource
@Path("/v1")
@Access(Access.Kind.APP_KEY)
@Produces(MediaType.APPLICATION_JSON)
public final class ServiceAppInfoResource {

    private final ServiceApps service;

    @Context
    SecurityContext security;

    @Activate
    public ServiceAppInfoResource(@Reference ServiceApps service) {
        this.service = service;
    }

    @GET
    @Path("parameters")
    public Map<String, Object> parameters() {
        Caller caller = Callers.of(security);
        return AppParameters.of(service.published(caller.workspaceId(), caller.appId(), null).definition());
    }

    @GET
    @Path("info")
    public Map<String, Object> info() {
        Caller caller = Callers.of(security);
        PublishedApp app = service.published(caller.workspaceId(), caller.appId(), null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", app.definition().name());
        body.put("description", app.definition().description());
        body.put("tags", List.of());
        body.put("mode", app.mode());
        body.put("author_name", "");
        return body;
    }

    @GET
    @Path("meta")
    public Map<String, Object> meta() {
        Caller caller = Callers.of(security);
        service.published(caller.workspaceId(), caller.appId(), null);
        return Map.of("tool_icons", Map.of());
    }

    @GET
    @Path("site")
    public Map<String, Object> site() {
        Caller caller = Callers.of(security);
        PublishedApp app = service.published(caller.workspaceId(), caller.appId(), null);
        Map<?, ?> about = app.definition().document().get("app") instanceof Map<?, ?> a ? a : Map.of();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", app.definition().name());
        body.put("chat_color_theme", null);
        body.put("chat_color_theme_inverted", false);
        body.put("icon_type", about.get("icon_type") instanceof String t ? t : "emoji");
        body.put("icon", about.get("icon"));
        body.put("icon_background", about.get("icon_background"));
        body.put("icon_url", null);
        body.put("description", app.definition().description());
        body.put("copyright", null);
        body.put("privacy_policy", null);
        body.put("custom_disclaimer", "");
        body.put("default_language", "en-US");
        body.put("show_workflow_steps", true);
        body.put("use_icon_as_answer_icon", about.get("use_icon_as_answer_icon") instanceof Boolean b && b);
        return body;
    }
}
