package dev.weft.platform.engine;

import java.util.Objects;

/**
 * A problem found in a DSL file.
 *
 * @param severity whether the file cannot be imported ({@code ERROR}) or can, but the app needs
 *     something before it runs ({@code WARNING})
 * @param code a stable code ({@code dangling_edge}, {@code node_type_missing}, ...)
 * @param message what is wrong, for people
 * @param nodeId the node concerned, or null for the file as a whole
 */
public record Issue(Severity severity, String code, String message, String nodeId) {

    /** How bad an issue is. */
    public enum Severity {
        ERROR,
        WARNING
    }

    public Issue {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Issue error(String code, String message, String nodeId) {
        return new Issue(Severity.ERROR, code, message, nodeId);
    }

    public static Issue warning(String code, String message, String nodeId) {
        return new Issue(Severity.WARNING, code, message, nodeId);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + " " + code
                + (nodeId == null ? "" : " [node " + nodeId + "]") + ": " + message;
    }
}
