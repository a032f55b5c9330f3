package dev.weft.spi.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.http.EgressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class VendorErrorsTest {

    @Test
    void each_status_means_one_failure() {
        assertThat(VendorErrors.ofStatus(401, "x", null)).isInstanceOf(NonRetriableModelException.AuthenticationFailed.class);
        assertThat(VendorErrors.ofStatus(403, "x", null)).isInstanceOf(NonRetriableModelException.AuthenticationFailed.class);
        assertThat(VendorErrors.ofStatus(402, "x", null)).isInstanceOf(NonRetriableModelException.QuotaExceeded.class);
        assertThat(VendorErrors.ofStatus(404, "x", null)).isInstanceOf(NonRetriableModelException.ModelNotFound.class);
        assertThat(VendorErrors.ofStatus(408, "x", null)).isInstanceOf(RetriableModelException.Timeout.class);
        assertThat(VendorErrors.ofStatus(504, "x", null)).isInstanceOf(RetriableModelException.Timeout.class);
        assertThat(VendorErrors.ofStatus(499, "x", null)).isInstanceOf(RetriableModelException.Unavailable.class);
        assertThat(VendorErrors.ofStatus(529, "x", null)).isInstanceOf(RetriableModelException.Unavailable.class);
        assertThat(VendorErrors.ofStatus(400, "x", null)).isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        assertThat(VendorErrors.ofStatus(422, "x", null)).isInstanceOf(NonRetriableModelException.InvalidRequest.class);
        ModelException limited = VendorErrors.ofStatus(429, "HTTP 429: slow down", Duration.ofSeconds(3));
        assertThat(limited).isInstanceOf(RetriableModelException.RateLimited.class).hasMessage("HTTP 429: slow down");
        assertThat(((RetriableModelException.RateLimited) limited).retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void egress_timeouts_and_broken_connections_may_pass_a_refused_destination_does_not() {
        assertThat(VendorErrors.ofEgress(new EgressException(EgressException.TIMEOUT, "slow")))
                .isInstanceOf(RetriableModelException.Timeout.class);
        assertThat(VendorErrors.ofEgress(new EgressException(EgressException.FAILED, "reset")))
                .isInstanceOf(RetriableModelException.Unavailable.class);
        assertThat(VendorErrors.ofEgress(new EgressException("destination_blocked", "private address")))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class);
    }

    @Test
    void retry_after_reads_seconds_and_dates() {
        assertThat(VendorErrors.retryAfter("2.5")).isEqualTo(Duration.ofMillis(2500));
        assertThat(VendorErrors.retryAfter(null)).isNull();
        assertThat(VendorErrors.retryAfter("-1")).isNull();
        assertThat(VendorErrors.retryAfter("soon")).isNull();
        assertThat(VendorErrors.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        String inAMinute = ZonedDateTime.now().plusSeconds(60).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(VendorErrors.retryAfter(inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
    }

    @Test
    void the_key_is_masked_before_the_text_is_cut() {
        String key = "sk-" + "k".repeat(40);
        String text = "x".repeat(10) + key;
        assertThat(VendorErrors.readable(text, key, 15)).isEqualTo("x".repeat(10) + "[api …")
                .doesNotContain("sk-");
        assertThat(VendorErrors.readable("bad key " + key + " given", key, 500)).isEqualTo("bad key [api key] given");
        assertThat(VendorErrors.readable(null, key, 10)).isEmpty();
        assertThat(VendorErrors.readable("no key", "", 10)).isEqualTo("no key");
    }
}
