package dev.weft.bench;

import java.time.Duration;
import java.util.Locale;

/** What a load measured: its samples, its result line, and the arithmetic behind them. */
final class Measures {

    private Measures() {
    }

    /** One request: when it was sent and read, and whether it was right. */
    record Sample(long start, long end, boolean ok) {
    }

    /** CPU per measured request of the server and of this client: who the cores went to. */
    record Result(String name, double rps, double p50, double p99, long errors, long requests, long sent, long storedRuns,
            double serverCpuMsPerRequest, double benchCpuMsPerRequest) {
        boolean runsMatch() {
            return storedRuns == sent;
        }

        String line() {
            return String.format(Locale.ROOT, "%s: rps=%s p50_ms=%s p99_ms=%s errors=%d requests=%d stored_runs=%d sent=%d"
                    + " stored_runs_match=%s server_cpu_ms_per_request=%.2f bench_cpu_ms_per_request=%.2f", name, num(rps),
                    num(p50), num(p99), errors, requests, storedRuns, sent, runsMatch(), serverCpuMsPerRequest,
                    benchCpuMsPerRequest);
        }
    }

    /** The process's CPU time so far (zero where the platform does not tell). */
    static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String num(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.1f", value);
    }
}
