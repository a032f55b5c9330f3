package dev.weft.web.internal.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource class or method (a method's annotation wins over its class's). A
 * resource without one is a console resource: it needs a signed-in member, and a CSRF token on
 * every request that changes something.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Access {

    Kind value();

    /** The kinds of callers. */
    enum Kind {
        /** Anyone: first-run setup, signing in, accepting an invitation. */
        PUBLIC,
        /** A signed-in console member (the default). */
        CONSOLE,
        /** The service API with an {@code app-...} key. */
        APP_KEY,
        /** The knowledge API with a {@code dataset-...} key. */
        DATASET_KEY,
        /** The OpenAI-compatible endpoint with an {@code app-...} key; errors in OpenAI's shape. */
        OPENAI,
        /** Operator commands with the operator token. */
        OPERATOR
    }
}
