package dev.weft.platform.security;

/** A workspace an account belongs to, and its role there. */
public record Membership(String workspaceId, String workspaceName, Role role) {
}
