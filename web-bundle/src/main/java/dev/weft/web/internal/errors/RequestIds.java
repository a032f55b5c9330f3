package dev.weft.web.internal.errors;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a short token (a proxy's),
 * otherwise a fresh random one. The id is echoed in the response header, written in error bodies
 * and in the log, so a user's report can be matched with the log line.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String ATTRIBUTE = "weft.request_id";

    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._\\-]{8,64}");

    private RequestIds() {
    }

    /** The id of a request, assigning one when it has none yet. */
    public static String of(HttpServletRequest request) {
        Object assigned = request.getAttribute(ATTRIBUTE);
        if (assigned instanceof String id) {
            return id;
        }
        String offered = request.getHeader(HEADER);
        String id = offered != null && ACCEPTABLE.matcher(offered).matches() ? offered : fresh();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }

    static String fresh() {
        // an id to quote, not a secret: a thread's own generator, so requests never queue for one lock
        byte[] bytes = new byte[12];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
