package dev.weft.web.internal.service;

import dev.weft.platform.engine.AppDefinition;
import dev.weft.platform.store.AppVersionRecord;

/** An app's published version, ready to run: its record and its parsed definition. */
public record PublishedApp(String workspaceId, String appId, AppVersionRecord version, AppDefinition definition) {

    public String mode() {
        return definition.mode();
    }

    public boolean chatLike() {
        return mode().equals("chat") || mode().equals("agent-chat") || mode().equals("advanced-chat");
    }

    public boolean workflow() {
        return mode().equals("workflow");
    }

    public boolean completion() {
        return mode().equals("completion");
    }
}
