package dev.weft.platform.engine.internal.run;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition, checking every 10 ms, for at most ten seconds. */
final class Await {

    private Await() {
    }

    static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }
}
