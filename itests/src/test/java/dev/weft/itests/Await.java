package dev.weft.itests;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition, checking it every 50 ms, and fails with a description when time runs out. */
final class Await {

    private Await() {
    }

    /** The first non-null value {@code probe} returns within {@code timeout}. */
    static <T> T until(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (last != null) {
                return last;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }

    /** Waits until {@code condition} holds; a timeout says what {@code state} last said. */
    static void until(String what, Duration timeout, java.util.function.BooleanSupplier condition, Supplier<String> state) {
        try {
            until(what, timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last: " + state.get() + ")", e);
        }
    }

    /** Waits until {@code condition} holds. */
    static void until(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        until(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }
}
