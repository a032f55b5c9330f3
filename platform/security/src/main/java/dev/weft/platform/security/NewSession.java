package dev.weft.platform.security;

/** A session just created: its secret token (for the cookie) is known only now. */
public record NewSession(String token, Session session) {

    @Override
    public String toString() {
        return "NewSession[" + session.id() + "]";
    }
}
