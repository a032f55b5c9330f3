package dev.weft.web.internal.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The request being served on this thread and its caller, for the resources.
 *
 * <p>Resources are services shared by every generation of the REST application (a generation is
 * rebuilt whenever a resource or extension comes or goes), so a request-scoped proxy injected into a
 * resource's field belongs to whichever generation injected it last, and fails for a request another
 * generation serves. The servlet of each generation sets these for the requests it serves, and
 * clears them when the request's thread is done with it.
 */
public final class Requests {

    private static final ThreadLocal<HttpServletRequest> REQUEST = new ThreadLocal<>();
    private static final ThreadLocal<Caller> CALLER = new ThreadLocal<>();

    private Requests() {
    }

    /** The servlet request this thread serves; null outside one. */
    public static HttpServletRequest request() {
        return REQUEST.get();
    }

    /** The caller the authentication filter established for this thread's request; null when none. */
    public static Caller caller() {
        return CALLER.get();
    }

    /** Called by the servlet when a request starts on this thread. */
    public static void begin(HttpServletRequest request) {
        REQUEST.set(request);
        CALLER.remove();
    }

    static void caller(Caller caller) {
        CALLER.set(caller);
    }

    /** Called by the servlet when this thread is done with the request. */
    public static void end() {
        REQUEST.remove();
        CALLER.remove();
    }

    /** The client's address, for throttling. */
    public static String client() {
        HttpServletRequest request = REQUEST.get();
        return request == null ? "unknown" : request.getRemoteAddr();
    }

    /** Whether the request came over TLS. */
    public static boolean secure() {
        HttpServletRequest request = REQUEST.get();
        return request != null && request.isSecure();
    }
}
