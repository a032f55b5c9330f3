package dev.weft.provider.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.http.EgressException;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.RetriableModelException;
import dev.weft.spi.model.VendorErrors;
import java.io.IOException;
import java.time.Duration;

/**
 * Google's error answers as the SPI's failures. Google writes every error as
 * {@code {"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED","details":[…]}}}; the
 * details are typed ({@code google.rpc.ErrorInfo}, {@code google.rpc.RetryInfo}, …).
 *
 * <p>Messages carry the status and Google's message, never request headers; the key is scrubbed
 * from them as well, in case a message ever quoted it, before a long message is shortened, so that
 * no part of it remains.
 *
 * <p>A 429 is a rate limit to wait out, unless its {@code QuotaFailure} detail names a per-day
 * quota ({@code quotaId} {@code GenerateRequestsPerDayPerProjectPerModel…}): that one is spent until
 * the day ends, which no retry should wait for. 499 ({@code CANCELLED}) is the request cancelled
 * on the way, worth another try.
 */
final class Failures {

    private static final String ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";
    private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
    private static final String QUOTA_FAILURE = "type.googleapis.com/google.rpc.QuotaFailure";

    private final String apiKey;

    Failures(String apiKey) {
        this.apiKey = apiKey;
    }

    /** An error answer of this HTTP status, its body and its {@code Retry-After} header (or null). */
    ModelException of(int status, String body, String retryAfter) {
        JsonNode error;
        try {
            error = Wire.JSON.readTree(body == null ? "" : body).path("error");
        } catch (IOException | RuntimeException e) {
            error = Wire.JSON.missingNode();
        }
        String message = error.isObject() ? VendorErrors.readable(error.path("message").asText(""), apiKey, 500)
                : VendorErrors.readable(body == null ? "" : body.strip(), apiKey, 200);
        return map(status, error.path("status").asText(""), message, error.path("details"), retryAfter);
    }

    /** An {@code error} object that arrived inside a stream, after the status said success. */
    ModelException inStream(JsonNode error) {
        int status = error.path("code").asInt(500);
        return map(status, error.path("status").asText(""), VendorErrors.readable(error.path("message").asText(""), apiKey, 500),
                error.path("details"), null);
    }

    private ModelException map(int status, String code, String message, JsonNode details, String retryAfter) {
        String text = "HTTP " + status + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message);
        if (hasReason(details, "API_KEY_INVALID") || status == 401 || code.equals("UNAUTHENTICATED")
                || status == 403 || code.equals("PERMISSION_DENIED")) {
            return new NonRetriableModelException.AuthenticationFailed(text);
        }
        if (status == 404 || code.equals("NOT_FOUND")) {
            return new NonRetriableModelException.ModelNotFound(text);
        }
        if ((status == 429 || code.equals("RESOURCE_EXHAUSTED")) && dailyQuota(details)) {
            return new NonRetriableModelException.QuotaExceeded(text);
        }
        if (status == 429 || code.equals("RESOURCE_EXHAUSTED")) {
            Duration wait = VendorErrors.retryAfter(retryAfter);
            return new RetriableModelException.RateLimited(text, wait != null ? wait : retryDelay(details));
        }
        if (status == 408 || status == 504 || code.equals("DEADLINE_EXCEEDED")) {
            return new RetriableModelException.Timeout(text, null);
        }
        if (status >= 500 || status == 499 || code.equals("CANCELLED")) {
            return new RetriableModelException.Unavailable(text, null);
        }
        return new NonRetriableModelException.InvalidRequest(text);
    }

    static ModelException egress(EgressException e) {
        return VendorErrors.ofEgress(e);
    }

    private static boolean hasReason(JsonNode details, String reason) {
        for (JsonNode detail : details) {
            if (ERROR_INFO.equals(detail.path("@type").asText()) && reason.equals(detail.path("reason").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code QuotaFailure} detail names a quota per day. */
    private static boolean dailyQuota(JsonNode details) {
        for (JsonNode detail : details) {
            if (QUOTA_FAILURE.equals(detail.path("@type").asText())) {
                for (JsonNode violation : detail.path("violations")) {
                    if (violation.path("quotaId").asText("").contains("PerDay")
                            || violation.path("quotaMetric").asText("").contains("per_day")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The {@code retryDelay} of a {@code RetryInfo} detail, a protobuf duration such as {@code "7s"}. */
    private static Duration retryDelay(JsonNode details) {
        for (JsonNode detail : details) {
            if (RETRY_INFO.equals(detail.path("@type").asText())) {
                return protobufDuration(detail.path("retryDelay").asText(""));
            }
        }
        return null;
    }

    static Duration protobufDuration(String text) {
        String value = text.strip();
        if (!value.endsWith("s")) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(value.substring(0, value.length() - 1));
            return seconds < 0 ? null : Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
