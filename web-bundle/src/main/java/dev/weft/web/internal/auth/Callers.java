package dev.weft.web.internal.auth;

import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.SecurityContext;

/** The caller of the request being served. */
public final class Callers {

    private Callers() {
    }

    /**
     * The request's caller, as the authentication filter set it for this thread. The security
     * context is asked only where no filter ran (tests that register a resource alone).
     */
    public static Caller of(SecurityContext security) {
        Caller current = Requests.caller();
        if (current != null) {
            return current;
        }
        if (Requests.request() == null && security != null && security.getUserPrincipal() instanceof Caller caller) {
            return caller;
        }
        // only reachable from a resource the filter let through without a caller (a public one)
        throw new NotAuthorizedException("Sign in first.", "Cookie");
    }

    /** The workspace the request is scoped to. */
    public static String workspace(SecurityContext security) {
        String workspace = of(security).workspaceId();
        if (workspace == null) {
            throw new NotAuthorizedException("This request needs a workspace.", "Cookie");
        }
        return workspace;
    }
}
