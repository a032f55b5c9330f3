package dev.weft.web.internal.auth;

import dev.weft.api.core.ValidationException;
import dev.weft.platform.security.Account;
import dev.weft.platform.security.Accounts;
import dev.weft.platform.security.NewSession;
import dev.weft.platform.security.Role;
import dev.weft.platform.security.Session;
import dev.weft.platform.security.Throttle;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/auth}: first-run setup, signing in and out, the signed-in account, and
 * accepting an invitation. Sessions live in an HttpOnly cookie; the CSRF token comes back in the
 * body and in a cookie the console's script can read, and unsafe requests repeat it in
 * {@value AuthFilter#CSRF_HEADER}.
 */
@Component(service = AuthResource.class)
@JakartarsResource
@Path("/console/api/auth")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {

    private final Guard guard;

    @Context
    SecurityContext security;

    @Activate
    public AuthResource(@Reference Guard guard) {
        this.guard = guard;
    }

    /** A sign-in or setup body. */
    public record Credentials(String email, String name, String password) {
    }

    /** Whether the first-run setup is still open: {@code {"step": "not_started" | "finished"}}. */
    @GET
    @Path("setup")
    @Access(Access.Kind.PUBLIC)
    public Map<String, Object> setupState() {
        return Map.of("step", guard.accounts().isSetUp() ? "finished" : "not_started");
    }

    /** Creates the owner; closed for good once done (403 {@code already_setup}). */
    @POST
    @Path("setup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Kind.PUBLIC)
    public Response setup(Credentials body) {
        Credentials credentials = required(body);
        Account owner = guard.accounts().createOwner(credentials.email(),
                credentials.name() == null || credentials.name().isBlank() ? credentials.email() : credentials.name(),
                password(credentials));
        return Response.status(201).entity(Map.of("result", "success", "email", owner.email())).build();
    }

    /** Signs in: sets the session cookies and answers the CSRF token. */
    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Kind.PUBLIC)
    public Response login(Credentials body) {
        Credentials credentials = required(body);
        if (credentials.email() == null || credentials.password() == null) {
            throw ValidationException.of("/email", "email and password are required");
        }
        Throttle throttle = guard.throttle();
        String client = Requests.client();
        String target = "login:" + credentials.email().strip().toLowerCase(Locale.ROOT);
        throttle.blocked(client, target).ifPresent(AuthResource::tooMany);
        NewSession created = guard.accounts().login(credentials.email(), password(credentials)).orElse(null);
        if (created == null) {
            throttle.failed(client, target);
            throw new NotAuthorizedException("The email or password is wrong.", "Cookie");
        }
        throttle.succeeded(client, target);
        Session session = created.session();
        int maxAge = (int) Math.max(1, Duration.between(Instant.now(), session.expiresAt()).toSeconds());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("csrf_token", session.csrfToken());
        data.put("account", account(session.account()));
        data.put("workspace_id", session.workspaceId());
        data.put("role", session.role() == null ? null : session.role().wireName());
        return Response.ok(Map.of("result", "success", "data", data))
                .cookie(cookie(AuthFilter.SESSION_COOKIE, created.token(), maxAge, true),
                        cookie(AuthFilter.CSRF_COOKIE, session.csrfToken(), maxAge, false))
                .build();
    }

    /** Signs out on the server and clears the cookies (with the attributes they were set with). */
    @POST
    @Path("logout")
    @Requires(Role.NORMAL)
    public Response logout(@CookieParam(AuthFilter.SESSION_COOKIE) String token) {
        if (token != null && !token.isBlank()) {
            guard.accounts().logout(token);
        }
        return Response.ok(Map.of("result", "success"))
                .cookie(cookie(AuthFilter.SESSION_COOKIE, "", 0, true), cookie(AuthFilter.CSRF_COOKIE, "", 0, false))
                .build();
    }

    /** A password change: {@code {password, new_password, repeat_new_password}} (Dify's fields). */
    public record PasswordChange(String password, String newPassword, String repeatNewPassword) {
    }

    /**
     * Changes the signed-in account's password, given its current one; the account's other
     * sessions are signed out, this one stays. Wrong current passwords count towards the same
     * throttle as failed sign-ins.
     */
    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.NORMAL)
    public Map<String, Object> changePassword(PasswordChange body,
            @CookieParam(AuthFilter.SESSION_COOKIE) String token) {
        Caller caller = Callers.of(security);
        if (body == null || body.password() == null || body.newPassword() == null) {
            throw ValidationException.of("/new_password", "password and new_password are required");
        }
        if (body.repeatNewPassword() != null && !body.repeatNewPassword().equals(body.newPassword())) {
            throw ValidationException.of("/repeat_new_password", "the new passwords do not match");
        }
        Throttle throttle = guard.throttle();
        String client = Requests.client();
        // the account's sign-in budget: a stolen session gets no second one to guess with
        String email = guard.accounts().session(token).map(session -> session.account().email()).orElse(caller.accountId());
        String target = "login:" + email.strip().toLowerCase(Locale.ROOT);
        throttle.blocked(client, target).ifPresent(AuthResource::tooMany);
        char[] current = body.password().toCharArray();
        char[] replacement = body.newPassword().toCharArray();
        try {
            if (!guard.accounts().changePassword(caller.accountId(), current, replacement, token)) {
                throttle.failed(client, target);
                throw ValidationException.of("/password", "the current password is wrong");
            }
        } finally {
            java.util.Arrays.fill(current, '\0');
            java.util.Arrays.fill(replacement, '\0');
        }
        throttle.succeeded(client, target);
        return Map.of("result", "success");
    }

    /** The signed-in account, its current workspace and role there. */
    @GET
    @Path("me")
    public Map<String, Object> me() {
        Caller caller = Callers.of(security);
        Accounts accounts = guard.accounts();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", caller.accountId());
        accounts.memberships(caller.accountId()).stream().filter(m -> m.workspaceId().equals(caller.workspaceId()))
                .findFirst().ifPresent(m -> body.put("workspace_name", m.workspaceName()));
        body.put("workspace_id", caller.workspaceId());
        body.put("role", caller.role().wireName());
        return body;
    }

    /** An invitation's acceptance: {@code {token, name, password}}. */
    public record Acceptance(String token, String name, String password) {
    }

    /** Accepts an invitation; a used, expired or unknown token answers the same 400. */
    @POST
    @Path("invitations/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Kind.PUBLIC)
    public Map<String, Object> accept(Acceptance body) {
        if (body == null || body.token() == null || body.token().isBlank() || body.password() == null) {
            throw new BadRequestException("The invitation is invalid or has expired.");
        }
        // an invitation to an existing account checks its password: throttled like signing in
        Throttle throttle = guard.throttle();
        String client = Requests.client();
        throttle.blocked(client, "invitation").ifPresent(AuthResource::tooMany);
        Account account = guard.accounts().acceptInvitation(body.token(), body.name(), body.password().toCharArray())
                .orElse(null);
        if (account == null) {
            throttle.failed(client, "invitation");
            throw new BadRequestException("The invitation is invalid or has expired.");
        }
        return Map.of("result", "success", "email", account.email());
    }

    static Map<String, Object> account(Account account) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", account.id());
        json.put("email", account.email());
        json.put("name", account.name());
        json.put("created_at", account.createdAt() == null ? null : account.createdAt().getEpochSecond());
        return json;
    }

    private NewCookie cookie(String name, String value, int maxAge, boolean httpOnly) {
        boolean secure = Requests.secure();
        return new NewCookie.Builder(name).value(value).path("/").maxAge(maxAge).httpOnly(httpOnly).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    private static Credentials required(Credentials body) {
        if (body == null) {
            throw new BadRequestException("A JSON body {\"email\": ..., \"password\": ...} is required.");
        }
        return body;
    }

    private static char[] password(Credentials credentials) {
        return credentials.password() == null ? new char[0] : credentials.password().toCharArray();
    }

    private static void tooMany(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        throw new jakarta.ws.rs.WebApplicationException("Too many failed sign-ins; try again later.",
                Response.status(429).header("Retry-After", Long.toString(seconds)).build());
    }
}
