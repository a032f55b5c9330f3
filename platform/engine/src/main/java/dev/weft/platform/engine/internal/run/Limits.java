package dev.weft.platform.engine.internal.run;

import java.time.Duration;

/**
 * What a run may use, with Dify's defaults.
 *
 * @param maxSteps node executions per run, containers' rounds included
 * @param maxTime wall-clock time per run
 * @param maxParallel nodes of one run executing at once
 * @param maxLoopCount rounds a loop may run
 */
public record Limits(int maxSteps, Duration maxTime, int maxParallel, int maxLoopCount) {

    public static final Limits DEFAULTS = new Limits(500, Duration.ofSeconds(1200), 10, 100);

    public Limits {
        if (maxSteps < 1 || maxParallel < 1 || maxLoopCount < 1 || maxTime.isNegative() || maxTime.isZero()) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
