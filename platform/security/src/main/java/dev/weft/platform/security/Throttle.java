package dev.weft.platform.security;

import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Counts failed sign-ins and failed API-key checks per client and per target, and says when a
 * client must wait ({@code 429} with {@code Retry-After}).
 */
@ProviderType
public interface Throttle {

    /**
     * How long this client (or target) must wait before trying again, in whole seconds and at least
     * one (ready for {@code Retry-After}); empty when it may try now.
     */
    Optional<Duration> blocked(String client, String target);

    /** Records a failure of this client against this target. */
    void failed(String client, String target);

    /** Records a success: the client's failures against this target are forgiven. */
    void succeeded(String client, String target);
}
