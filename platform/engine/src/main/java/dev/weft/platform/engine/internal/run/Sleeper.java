package dev.weft.platform.engine.internal.run;

import java.time.Duration;

/** Waits between retries; tests replace it so that they never wait on the clock. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = duration -> Thread.sleep(duration);
}
