package dev.weft.platform.sandbox.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How workers are started and bounded.
 *
 * @param java the java executable workers run on (the platform's own)
 * @param classpath the worker's class path: its jar and GraalVM's
 * @param scratchRoot where each worker gets an empty folder of its own
 * @param resourceCache where GraalPy unpacks its standard library once
 * @param maxWorkers the most worker processes at once: the most runs at once
 * @param prestart workers started ahead of the first run
 * @param heapMb each worker's heap limit
 * @param defaultTimeout a run's time limit when the caller gives none
 * @param maxTimeout the longest time limit a caller may ask for
 * @param startTimeout how long a worker may take to start
 * @param queueTimeout how long a run may wait for a free worker
 * @param pythonModules the modules Python guests may import
 * @param maxOutputBytes what a guest may print before the rest is dropped
 * @param maxResultBytes the largest result, as JSON
 * @param runsPerWorker runs after which a worker is replaced (its JIT and heap start clean)
 */
record WorkerSettings(Path java, String classpath, Path scratchRoot, Path resourceCache, int maxWorkers, int prestart,
        int heapMb, Duration defaultTimeout, Duration maxTimeout, Duration startTimeout, Duration queueTimeout,
        List<String> pythonModules, int maxOutputBytes, int maxResultBytes, int runsPerWorker) {

    /** The standard-library modules real code nodes use, and nothing that reaches outside the guest. */
    static final List<String> DEFAULT_PYTHON_MODULES = List.of("json", "re", "datetime", "time", "math", "random",
            "string", "base64", "hashlib", "hmac", "uuid", "collections", "itertools", "functools", "decimal",
            "statistics", "urllib.parse", "html", "textwrap", "unicodedata", "copy", "typing", "dataclasses", "enum",
            "operator", "calendar", "csv", "io");

    /** A run waits this much longer than its own limit for the worker's answer before killing it. */
    static final Duration GRACE = Duration.ofSeconds(5);
}
