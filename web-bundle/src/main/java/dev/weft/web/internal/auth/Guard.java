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
@Component(service = Guard.class)
public final class Guard {

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
