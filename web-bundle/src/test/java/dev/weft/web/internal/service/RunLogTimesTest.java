package dev.weft.web.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The times {@code GET /v1/workflows/logs} filters by, as Dify's clients write them. */
class RunLogTimesTest {

    private static Instant read(String value) {
        return ServiceRunLogsResource.instant("created_at__after", value);
    }

    @Test
    void instants_offsets_zones_local_times_days_and_seconds_are_read() {
        assertThat(read("2026-01-31T08:00:00Z")).isEqualTo(Instant.parse("2026-01-31T08:00:00Z"));
        assertThat(read("2026-01-31T10:00:00+02:00")).isEqualTo(Instant.parse("2026-01-31T08:00:00Z"));
        assertThat(read("2026-01-31T09:00:00+01:00[Europe/Paris]")).isEqualTo(Instant.parse("2026-01-31T08:00:00Z"));
        assertThat(read("2026-07-31T10:00:00+02:00[Europe/Paris]")).as("the zone's summer time")
                .isEqualTo(Instant.parse("2026-07-31T08:00:00Z"));
        assertThat(read("2026-01-31T08:00:00")).as("a local time is UTC").isEqualTo(Instant.parse("2026-01-31T08:00:00Z"));
        assertThat(read("2026-01-31")).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
        assertThat(read("1769846400")).isEqualTo(Instant.parse("2026-01-31T08:00:00Z"));
        assertThat(read(null)).isNull();
        assertThat(read(" ")).isNull();
    }

    @Test
    void what_cannot_be_a_time_the_store_compares_with_is_invalid_param() {
        for (String bad : new String[] {"yesterday", "2026-13-01", "99999999999999999", "999999999999999999999"}) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOfSatisfying(ServiceError.class,
                    e -> assertThat(e.code()).isEqualTo("invalid_param"));
        }
    }
}
