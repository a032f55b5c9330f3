package dev.weft.web.internal.auth;

import dev.weft.platform.security.ApiKey;
import dev.weft.platform.security.Role;
import dev.weft.platform.security.Session;
import dev.weft.platform.security.Throttle;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Establishes who calls every matched resource method, and refuses those who may not.
 *
 * <p>The decision follows the resource method that matched (its {@link Access} and
 * {@link Requires}), never the spelling of the path, so no alternate encoding of a path reaches a
 * resource with weaker checks. Console methods need a live session cookie, and on every method but
 * GET, HEAD and OPTIONS the session's CSRF token in {@value #CSRF_HEADER}; service API methods need
 * an API key in the {@code Authorization} header (never in the URL). Every failed credential
 * answers the same 401; a client that keeps failing gets 429 with {@code Retry-After}.
 */
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {

    /** The session cookie: HttpOnly, SameSite=Lax. */
    public static final String SESSION_COOKIE = "weft_session";
    /** The cookie the console's script reads the CSRF token from. */
    public static final String CSRF_COOKIE = "weft_csrf";
    /** The header unsafe console requests repeat the CSRF token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The one answer to every bad API key. */
    public static final String INVALID_KEY = "Access token is invalid";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final String SERVICE_TARGET = "service-api";

    private final Guard guard;

    @Context
    ResourceInfo resource;

    @Context
    HttpServletRequest http;

    public AuthFilter(Guard guard) {
        this.guard = guard;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return; // nothing matched: the answer is a 404 or 405 with no data
        }
        Class<?> type = resource.getResourceClass();
        Access.Kind kind = access(method, type);
        Caller caller = switch (kind) {
            case PUBLIC -> null;
            case CONSOLE -> console(request, method, type);
            case APP_KEY, OPENAI -> key(request, ApiKey.APP);
            case DATASET_KEY -> key(request, ApiKey.DATASET);
            case OPERATOR -> operator(request);
        };
        if (caller != null) {
            Requests.caller(caller);
            request.setSecurityContext(new CallerContext(caller, request.getSecurityContext() != null
                    && request.getSecurityContext().isSecure()));
        }
    }

    static Access.Kind access(Method method, Class<?> type) {
        Access onMethod = method.getAnnotation(Access.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        Access onType = type == null ? null : type.getAnnotation(Access.class);
        return onType == null ? Access.Kind.CONSOLE : onType.value();
    }

    static Role required(Method method, Class<?> type, String httpMethod) {
        Requires onMethod = method.getAnnotation(Requires.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        Requires onType = type == null ? null : type.getAnnotation(Requires.class);
        if (onType != null) {
            return onType.value();
        }
        return SAFE.contains(httpMethod) ? Role.NORMAL : Role.EDITOR;
    }

    private Caller console(ContainerRequestContext request, Method method, Class<?> type) {
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        String token = cookie == null ? null : cookie.getValue();
        if (token == null || token.isBlank()) {
            throw new NotAuthorizedException("Sign in first.", "Cookie");
        }
        Optional<Session> found = guard.accounts().session(token);
        if (found.isEmpty()) {
            throw new NotAuthorizedException("Sign in first.", "Cookie");
        }
        Session session = found.get();
        if (!SAFE.contains(request.getMethod())) {
            String header = request.getHeaderString(CSRF_HEADER);
            if (header == null || !constantTimeEquals(header, session.csrfToken())) {
                throw new ForbiddenException("The request's CSRF token is missing or wrong.");
            }
        }
        if (session.role() == null || !session.role().atLeast(required(method, type, request.getMethod()))) {
            throw new ForbiddenException("Your role in this workspace does not allow this.");
        }
        return new Caller(Access.Kind.CONSOLE, session.workspaceId(), session.account().id(), session.role(), null,
                null, session.id());
    }

    private Caller key(ContainerRequestContext request, String kind) {
        Throttle throttle = guard.throttle();
        String client = client();
        throttle.blocked(client, SERVICE_TARGET).ifPresent(AuthFilter::tooMany);
        String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Optional<ApiKey> key = token == null ? Optional.empty() : guard.apiKeys().verify(token);
        if (key.isEmpty() || !key.get().kind().equals(kind)) {
            throttle.failed(client, SERVICE_TARGET);
            throttle.blocked(client, SERVICE_TARGET).ifPresent(AuthFilter::tooMany);
            throw new NotAuthorizedException(INVALID_KEY, "Bearer");
        }
        ApiKey found = key.get();
        guard.rates().admit(found.id()).ifPresent(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new WebApplicationException("Too many requests for this key; try again later.",
                    Response.status(429).header("Retry-After", Long.toString(seconds)).build());
        });
        return new Caller(kind.equals(ApiKey.APP) ? Access.Kind.APP_KEY : Access.Kind.DATASET_KEY, found.workspaceId(),
                null, null, found.appId(), found.id(), null);
    }

    private Caller operator(ContainerRequestContext request) {
        Throttle throttle = guard.throttle();
        String client = client();
        throttle.blocked(client, "operator").ifPresent(AuthFilter::tooMany);
        String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token == null || !guard.operatorToken().matches(token)) {
            throttle.failed(client, "operator");
            throw new NotAuthorizedException("The operator token is missing or wrong.", "Bearer");
        }
        return new Caller(Access.Kind.OPERATOR, null, null, Role.OWNER, null, null, null);
    }

    /** The token of {@code Bearer <token>}; null for anything else, including empty tokens. */
    static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() || token.length() > 200 ? null : token;
    }

    private String client() {
        return http == null ? "unknown" : http.getRemoteAddr();
    }

    private static void tooMany(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        throw new WebApplicationException("Too many failed attempts; try again later.",
                Response.status(429).header("Retry-After", Long.toString(seconds)).build());
    }

    private static boolean constantTimeEquals(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
