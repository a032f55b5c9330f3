package dev.weft.api.http;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one way out of the process for requests to hosts that users name. Provided by the platform;
 * plug-ins look it up as a service and never open connections of their own.
 */
@ProviderType
public interface OutboundHttp {

    /**
     * Sends a request and reads the whole response body.
     *
     * @throws EgressException when the policy refuses the URL or an address it resolves to
     *         ({@link EgressException#BLOCKED}), the URL is malformed ({@link EgressException#INVALID_URL}),
     *         a limit is reached ({@link EgressException#TIMEOUT}, {@link EgressException#TOO_LARGE},
     *         {@link EgressException#REDIRECTS}) or the exchange fails ({@link EgressException#FAILED})
     */
    HttpResponse send(HttpRequest request) throws EgressException;

    /**
     * Sends a request and returns the response while its body is still arriving, for streams such
     * as server-sent events. The body stops with an error past the request's size or time limit.
     * The caller must close the response.
     *
     * @throws EgressException as for {@link #send(HttpRequest)}, for everything up to the headers
     */
    StreamingResponse open(HttpRequest request) throws EgressException;

    /**
     * Checks a URL against the policy without connecting: scheme, port, and every address its host
     * resolves to. For forms that save a URL to use later.
     *
     * @throws EgressException when a request to the URL would be refused
     */
    void check(String url) throws EgressException;
}
