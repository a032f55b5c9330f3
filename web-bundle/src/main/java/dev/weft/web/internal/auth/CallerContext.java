package dev.weft.web.internal.auth;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The security context of an authenticated request: its caller. */
record CallerContext(Caller caller, boolean secure) implements SecurityContext {

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
        return caller.role() != null && caller.role().wireName().equals(role);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return caller.sessionId() != null ? "COOKIE" : "BEARER";
    }
}
