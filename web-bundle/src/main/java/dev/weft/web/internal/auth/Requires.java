package dev.weft.web.internal.auth;

import dev.weft.platform.security.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a console member needs for a method (a method's annotation wins over its
 * class's). Without one, reading needs {@code normal} and changing needs {@code editor}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Requires {
    Role value();
}
