package dev.weft.platform.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run to start.
 *
 * @param workspaceId the workspace the run belongs to
 * @param appId the app whose graph runs
 * @param app the app's definition (its draft, or a published version)
 * @param inputs the start node's inputs
 * @param userId who runs it ({@code sys.user_id})
 * @param query the user's message, for chatflows ({@code sys.query}); may be null
 * @param files files given with the run ({@code sys.files})
 * @param conversationId the conversation, for chatflows; may be null
 * @param conversation the conversation variables as the conversation holds them; the app's
 *     defaults fill the others
 * @param triggeredFrom where the run comes from: {@code debugging} (the console's debugger, the
 *     default) or {@code app-run} (the service API); recorded with the run (since 1.2)
 */
public record RunRequest(String workspaceId, String appId, AppDefinition app, Map<String, Object> inputs,
        String userId, String query, List<Object> files, String conversationId, Map<String, Object> conversation,
        String triggeredFrom) {

    /** A run from the console's debugger. */
    public RunRequest(String workspaceId, String appId, AppDefinition app, Map<String, Object> inputs, String userId,
            String query, List<Object> files, String conversationId, Map<String, Object> conversation) {
        this(workspaceId, appId, app, inputs, userId, query, files, conversationId, conversation, "debugging");
    }

    public RunRequest {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(app, "app");
        inputs = inputs == null ? Map.of() : inputs;
        files = files == null ? List.of() : files;
        conversation = conversation == null ? Map.of() : conversation;
        triggeredFrom = triggeredFrom == null ? "debugging" : triggeredFrom;
    }
}
