package dev.weft.platform.security;

import java.time.Instant;

/** An account's membership of a workspace. */
public record Member(String accountId, String email, String name, Role role, Instant joinedAt) {
}
