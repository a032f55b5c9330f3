package dev.weft.platform.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of the security bundle, from {@code conf/dev.weft.security.cfg}
 * ({@code session.days=14}, {@code throttle.client.failures=5}, ...).
 */
@ObjectClassDefinition(name = "Weft security", description = "Console sessions and the throttling of failed credentials")
public @interface SecurityConfig {

    /** The configuration's PID. */
    String PID = "dev.weft.security";

    @AttributeDefinition(description = "Days a console session lasts after sign-in", min = "1", max = "365")
    int session_days() default 7;

    @AttributeDefinition(description = "Failures of one client against one target, within the window, that block that client", min = "1")
    int throttle_client_failures() default 10;

    @AttributeDefinition(description = "Failures of all clients against one target, within the window, that block every client of that target", min = "1")
    int throttle_target_failures() default 100;

    @AttributeDefinition(description = "Length of the throttle's sliding window, in seconds", min = "1")
    int throttle_window_seconds() default 60;
}
