package dev.weft.web.internal.auth;

import dev.weft.platform.security.Accounts;
import dev.weft.platform.security.ApiKeys;
import dev.weft.platform.security.OperatorToken;
import dev.weft.platform.security.Throttle;
import jakarta.ws.rs.ServiceUnavailableException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The security services the REST layer checks callers with. They may come and go with the security
 * bundle; while one is missing, every request that needs it answers 503: nothing is ever let
 * through for want of a check.
 */
@Component(service = Guard.class, configurationPid = "dev.weft.service")
public final class Guard {

    /** The part of {@code conf/dev.weft.service.cfg} the guard reads. */
    public @interface Config {
        /** Most service API requests per key and minute; 0 for no limit. */
        int key_requests_per_minute() default 0;
    }

    private volatile KeyRates rates = new KeyRates(0);

    @org.osgi.service.component.annotations.Activate
    @org.osgi.service.component.annotations.Modified
    void configure(Config config) {
        rates = new KeyRates(config.key_requests_per_minute());
    }

    /** The per-key request limit. */
    public KeyRates rates() {
        return rates;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Accounts accounts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ApiKeys apiKeys;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Throttle throttle;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile OperatorToken operatorToken;

    public Accounts accounts() {
        return present(accounts);
    }

    public ApiKeys apiKeys() {
        return present(apiKeys);
    }

    public Throttle throttle() {
        return present(throttle);
    }

    public OperatorToken operatorToken() {
        return present(operatorToken);
    }

    private static <T> T present(T service) {
        if (service == null) {
            throw new ServiceUnavailableException("Security services are not ready yet.", 1L);
        }
        return service;
    }
}
