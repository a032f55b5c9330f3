package dev.weft.platform.engine.internal.run;

/**
 * Where nodes run: the top level, or one round of an iteration or a loop.
 *
 * @param containerId the iteration or loop, or null at the top level
 * @param iterationId the innermost iteration around, or null
 * @param loopId the innermost loop around, or null
 * @param pool the variables this scope reads and writes
 */
record Scope(String containerId, String iterationId, String loopId, VariablePool pool) {

    static Scope top(VariablePool pool) {
        return new Scope(null, null, null, pool);
    }

    Scope iteration(String id, VariablePool roundPool) {
        return new Scope(id, id, loopId, roundPool);
    }

    Scope loop(String id, VariablePool roundPool) {
        return new Scope(id, iterationId, id, roundPool);
    }
}
