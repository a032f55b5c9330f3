package dev.weft.web.internal.errors;

import com.fasterxml.jackson.core.JacksonException;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Marks JSON failures that happen while reading a request body, so that only those become 400 or
 * 422: the same Jackson exception raised while writing a response is the server's fault.
 */
public final class RequestBodyInterceptor implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        try {
            return context.proceed();
        } catch (JacksonException e) {
            throw new RequestBodyException(e);
        }
    }

    /** The request body could not be read as the JSON the resource expects. */
    public static final class RequestBodyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RequestBodyException(JacksonException cause) {
            super(cause.getOriginalMessage(), cause);
        }

        JacksonException jackson() {
            return (JacksonException) getCause();
        }
    }
}
