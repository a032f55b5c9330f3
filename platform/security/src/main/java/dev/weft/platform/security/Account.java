package dev.weft.platform.security;

import java.time.Instant;

/** A person who signs in to the console. The email is kept lower-cased. */
public record Account(String id, String email, String name, Instant createdAt) {
}
