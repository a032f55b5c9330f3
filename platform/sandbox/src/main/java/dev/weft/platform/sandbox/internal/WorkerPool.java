package dev.weft.platform.sandbox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weft.api.sandbox.CodeRequest;
import dev.weft.api.sandbox.CodeResult;
import dev.weft.api.sandbox.SandboxException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of sandbox worker processes. A run takes an idle worker, or starts one while there are
 * fewer than the limit, or waits for one; a worker that timed out, died or ran out of memory is
 * replaced. The platform's own JVM never runs guest code, so nothing a guest does can exhaust its
 * heap or stop it.
 */
final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    /** The largest nesting a result may have: far above what any declared output allows (5). */
    private static final int MAX_RESULT_DEPTH = 100;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_RESULT_DEPTH).maxStringLength(Integer.MAX_VALUE / 4).build());
    }

    private final WorkerSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<WorkerProcess> idle = new ArrayDeque<>();
    private int live;
    private boolean closed;
    private volatile String startFailure;

    WorkerPool(WorkerSettings settings) {
        this.settings = settings;
    }

    WorkerSettings settings() {
        return settings;
    }

    /** Starts the configured number of workers ahead of the first run, in the background. */
    void prestart() {
        for (int i = 0; i < Math.min(settings.prestart(), settings.maxWorkers()); i++) {
            if (!reserve()) {
                return;
            }
            Thread.ofVirtual().name("weft-sandbox-prestart").start(() -> {
                try {
                    WorkerProcess worker = WorkerProcess.start(settings);
                    LOG.info("Sandbox worker {} ready in {} ms", worker.pid(), worker.warmUpMillis());
                    release(worker);
                } catch (IOException | RuntimeException e) {
                    startFailure = e.getMessage();
                    LOG.warn("Sandbox worker did not start: {}", e.getMessage());
                    unreserve();
                }
            });
        }
    }

    CodeResult run(CodeRequest request) throws SandboxException {
        if (!List.of("python3", "javascript").contains(request.language())) {
            throw new SandboxException(SandboxException.LANGUAGE, "the sandbox runs python3 and javascript, not "
                    + request.language());
        }
        Duration timeout = request.timeout() == null ? settings.defaultTimeout() : request.timeout();
        if (timeout.compareTo(settings.maxTimeout()) > 0) {
            timeout = settings.maxTimeout();
        }
        String inputs;
        try {
            inputs = JSON.writeValueAsString(request.inputs());
        } catch (JsonProcessingException e) {
            throw new SandboxException(SandboxException.CODE_ERROR, "the inputs cannot be written as JSON");
        }
        WorkerProcess worker = acquire();
        List<String> answer;
        try {
            answer = worker.run(request.language(), request.code(), inputs, timeout, WorkerSettings.GRACE);
        } catch (InterruptedException e) {
            discard(worker);
            Thread.currentThread().interrupt();
            throw new SandboxException(SandboxException.TIMEOUT, "the run was stopped");
        } catch (RuntimeException | Error e) {
            // whatever went wrong, the slot and the process are given back
            discard(worker);
            throw e;
        }
        if (answer == null || answer.size() != 7) {
            boolean late = worker.killedForTime();
            int exit = worker.exitValue();
            String diagnosis = worker.diagnosis();
            discard(worker);
            if (late) {
                throw new SandboxException(SandboxException.TIMEOUT, "the code ran for longer than " + timeout.toMillis()
                        + " ms and was stopped");
            }
            if (exit == WorkerProcess.OUT_OF_MEMORY_EXIT) {
                throw new SandboxException(SandboxException.MEMORY, "the code needed more memory than the sandbox allows ("
                        + settings.heapMb() + " MB)");
            }
            LOG.warn("Sandbox worker ended during a run: {}", diagnosis);
            throw new SandboxException(SandboxException.UNAVAILABLE, "the sandbox worker ended during the run (exit status "
                    + exit + ")");
        }
        // a worker that stopped a run at its time limit is fine for the next one; after memory ran out it is replaced
        boolean healthy = !answer.get(1).equals("sandbox_memory");
        if (healthy && worker.runs() < settings.runsPerWorker()) {
            release(worker);
        } else {
            discard(worker);
        }
        if (answer.get(0).equals("ok")) {
            Map<String, Object> result;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = JSON.readValue(answer.get(3), Map.class);
                result = parsed;
            } catch (IOException e) {
                throw new SandboxException(SandboxException.OUTPUT_TOO_LARGE, "the result is nested deeper than "
                        + MAX_RESULT_DEPTH + " levels or is not JSON");
            }
            return new CodeResult(result, answer.get(4), answer.get(5).equals("1"), Duration.ofMillis(Long.parseLong(answer.get(6))));
        }
        throw new SandboxException(answer.get(1), answer.get(2));
    }

    private boolean reserve() {
        lock.lock();
        try {
            if (closed || live >= settings.maxWorkers()) {
                return false;
            }
            live++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void unreserve() {
        lock.lock();
        try {
            live--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private WorkerProcess acquire() throws SandboxException {
        long deadline = System.nanoTime() + settings.queueTimeout().toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new SandboxException(SandboxException.UNAVAILABLE, "the sandbox is shutting down");
                }
                WorkerProcess ready = idle.pollFirst();
                if (ready != null) {
                    if (ready.isAlive()) {
                        return ready;
                    }
                    live--;
                    ready.deleteScratch();
                    continue;
                }
                if (live < settings.maxWorkers()) {
                    live++;
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SandboxException(SandboxException.BUSY, "every sandbox worker stayed busy for "
                            + settings.queueTimeout().toSeconds() + " s");
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SandboxException(SandboxException.TIMEOUT, "the run was stopped while waiting for a worker");
                }
            }
        } finally {
            lock.unlock();
        }
        try {
            WorkerProcess started = WorkerProcess.start(settings);
            LOG.info("Sandbox worker {} ready in {} ms", started.pid(), started.warmUpMillis());
            startFailure = null;
            return started;
        } catch (IOException | RuntimeException e) {
            unreserve();
            startFailure = e.getMessage();
            throw new SandboxException(SandboxException.UNAVAILABLE, "the sandbox could not start a worker: "
                    + e.getMessage());
        }
    }

    private void release(WorkerProcess worker) {
        lock.lock();
        try {
            if (closed) {
                live--;
                worker.close();
                return;
            }
            idle.addFirst(worker);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void discard(WorkerProcess worker) {
        worker.kill();
        worker.deleteScratch();
        unreserve();
        if (!closed && settings.prestart() > 0) {
            // keep a warm worker for the next run: starting one costs seconds
            lock.lock();
            boolean replace;
            try {
                replace = idle.isEmpty() && live < settings.prestart();
            } finally {
                lock.unlock();
            }
            if (replace) {
                prestartOne();
            }
        }
    }

    private void prestartOne() {
        if (!reserve()) {
            return;
        }
        Thread.ofVirtual().name("weft-sandbox-replace").start(() -> {
            try {
                release(WorkerProcess.start(settings));
            } catch (IOException | RuntimeException e) {
                startFailure = e.getMessage();
                unreserve();
            }
        });
    }

    /** Live worker processes (busy or idle), for tests and status. */
    int live() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    List<Long> idlePids() {
        lock.lock();
        try {
            return idle.stream().map(WorkerProcess::pid).toList();
        } finally {
            lock.unlock();
        }
    }

    String startFailure() {
        return startFailure;
    }

    @Override
    public void close() {
        List<WorkerProcess> closing;
        lock.lock();
        try {
            closed = true;
            closing = List.copyOf(idle);
            live -= closing.size();
            idle.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // each may take a moment to exit: not while holding the lock
        closing.forEach(WorkerProcess::close);
    }

    static boolean awaitQuiet(WorkerPool pool, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (pool.live() == pool.idlePids().size()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return false;
    }
}
