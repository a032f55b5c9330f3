package dev.weft.platform.egress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens the guard for an origin the operator configured (an instance-wide model base URL, a command's
 * {@code --model-base-url}). Never for URLs that workspace members enter: those stay under the
 * policy and the operator's allow-list.
 */
@ProviderType
public interface EgressAllowances {

    /**
     * Lets requests reach the URL's host and port, whatever addresses it resolves to, until the
     * returned allowance is closed.
     *
     * @param url an http or https URL; only its host and port count
     * @param reason who configured it, for the log
     * @throws IllegalArgumentException when the URL is not http or https
     */
    Allowance allow(String url, String reason);

    /** An open allowance; closing it withdraws it. */
    @ProviderType
    interface Allowance extends AutoCloseable {
        @Override
        void close();
    }
}
