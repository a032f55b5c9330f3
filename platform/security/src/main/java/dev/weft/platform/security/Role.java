package dev.weft.platform.security;

import java.util.Locale;
import java.util.Optional;

/**
 * A member's role in a workspace, from most to least powerful. {@code owner} and {@code admin}
 * manage members, credentials and keys; {@code editor} builds and publishes apps and knowledge;
 * {@code normal} uses the workspace's apps.
 */
public enum Role {
    OWNER, ADMIN, EDITOR, NORMAL;

    /** The role's name in the API: {@code owner}, {@code admin}, {@code editor}, {@code normal}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named so in the API; empty for anything else. */
    public static Optional<Role> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** Whether this role may do what {@code needed} may. */
    public boolean atLeast(Role needed) {
        return ordinal() <= needed.ordinal();
    }
}
