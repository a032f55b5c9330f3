package dev.weft.api.model;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who calls which model, for routing, credentials and accounting.
 *
 * @param workspaceId the workspace whose credentials and defaults apply; never blank: a call without its
 *        tenant is refused, it never runs on the instance's credentials by default (SECURITY.md SEC-14)
 * @param provider the provider as the app names it: a Weft id ({@code openai}) or a Dify one
 *        ({@code langgenius/openai/openai}, {@code openai_api_compatible}); blank for the workspace's
 *        default model
 * @param model the model name as the app names it; blank for the default
 * @param runId the run the call belongs to, or null
 * @param nodeId the node that makes the call, or null
 */
@ProviderType
public record ModelCall(String workspaceId, String provider, String model, String runId, String nodeId) {

    public ModelCall {
        Objects.requireNonNull(workspaceId, "workspaceId");
        if (workspaceId.isBlank()) {
            throw new IllegalArgumentException("a model call needs the workspace it is made for");
        }
        provider = provider == null ? "" : provider;
        model = model == null ? "" : model;
    }
}
