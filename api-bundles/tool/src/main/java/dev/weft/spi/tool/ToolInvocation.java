package dev.weft.spi.tool;

import dev.weft.api.core.JsonValues;
import dev.weft.api.core.Secret;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One call of a tool.
 *
 * @param arguments the arguments, already checked against the tool's input schema
 * @param settings the provider's plain settings
 * @param credentials the provider's credentials
 * @param workspaceId the workspace the call is made for
 */
@ProviderType
public record ToolInvocation(Map<String, Object> arguments, Map<String, Object> settings,
        Map<String, Secret> credentials, String workspaceId) {

    public ToolInvocation {
        arguments = arguments == null ? Map.of() : JsonValues.copyOfObject(arguments);
        settings = settings == null ? Map.of() : JsonValues.copyOfObject(settings);
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        Objects.requireNonNull(workspaceId, "workspaceId");
    }

    /** Never shows credentials. */
    @Override
    public String toString() {
        return "ToolInvocation[arguments=" + arguments + ", credentials=" + credentials.keySet() + "]";
    }
}
