package dev.weft.platform.security;

import java.time.Instant;

/**
 * An invitation to join a workspace. {@code token} is set only on the invitation just created
 * (the store keeps its hash); listed invitations carry null.
 */
public record Invitation(String id, String workspaceId, String email, Role role, Instant expiresAt, String token) {

    @Override
    public String toString() {
        return "Invitation[" + id + ", " + email + ", " + role + "]";
    }
}
