package dev.weft.platform.sandbox.internal;

import dev.weft.sandbox.worker.Frames;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker JVM: started with its own heap limit, an empty environment and a scratch folder of its
 * own, spoken to in frames over its standard input and output. Used by one run at a time.
 */
final class WorkerProcess {

    /** The exit status {@code -XX:+ExitOnOutOfMemoryError} gives. */
    static final int OUT_OF_MEMORY_EXIT = 3;

    private final Process process;
    private final DataOutputStream in;
    private final DataInputStream out;
    private final StringBuilder errTail = new StringBuilder();
    private long maxFrameBytes = 64L * 1024 * 1024;
    private final Path scratch;
    private long warmUpMillis;
    private int runs;
    private volatile boolean killedForTime;

    private WorkerProcess(Process process, Path scratch) {
        this.process = process;
        this.scratch = scratch;
        this.in = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.out = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    }

    /** Starts a worker and waits until it has warmed up and said so. */
    static WorkerProcess start(WorkerSettings settings) throws IOException {
        Path scratch = Files.createTempDirectory(settings.scratchRoot(), "worker-");
        List<String> command = new ArrayList<>();
        command.add(settings.java().toString());
        command.add("-Xmx" + settings.heapMb() + "m");
        command.add("-Xss4m");
        command.add("-XX:+ExitOnOutOfMemoryError");
        // the JVM's own messages (out of memory, crashes) must not reach standard output: it carries frames
        command.add("-XX:+UnlockDiagnosticVMOptions");
        command.add("-XX:+DisplayVMOutputToStderr");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Djava.io.tmpdir=" + scratch);
        command.add("-Duser.home=" + scratch);
        command.add("-Dpolyglot.engine.userResourceCache=" + settings.resourceCache());
        command.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
        command.add("-cp");
        command.add(settings.classpath());
        command.add("dev.weft.sandbox.worker.Worker");
        command.add(String.join(",", settings.pythonModules()));
        command.add(String.valueOf(settings.maxOutputBytes()));
        command.add(String.valueOf(settings.maxResultBytes()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile());
        // the guest's process sees none of the platform's environment (keys, passwords, paths)
        builder.environment().clear();
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().put("HOME", scratch.toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteTree(scratch);
            throw e;
        }
        WorkerProcess worker;
        try {
            worker = new WorkerProcess(process, scratch);
            // an answer holds the result (JSON, UTF-8) and the output (UTF-8) and a few short fields
            worker.maxFrameBytes = 4L * settings.maxResultBytes() + 4L * settings.maxOutputBytes() + 64 * 1024;
            Thread.ofVirtual().name("weft-sandbox-stderr").start(() -> worker.drainErr(process.getErrorStream()));
            List<String> ready = worker.read(settings.startTimeout());
            if (ready == null || ready.isEmpty() || !"ready".equals(ready.get(0))) {
                throw new IOException("the sandbox worker did not start: " + worker.diagnosis());
            }
            worker.warmUpMillis = ready.size() > 2 ? Long.parseLong(ready.get(2)) : 0;
            return worker;
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            deleteTree(scratch);
            throw e;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            deleteTree(scratch);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the sandbox worker started");
        }
    }

    /** Whether the worker was killed because it did not answer in time. */
    boolean killedForTime() {
        return killedForTime;
    }

    long warmUpMillis() {
        return warmUpMillis;
    }

    int runs() {
        return runs;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends a run and waits for its answer.
     *
     * @return the answer's fields, or null when the worker died or did not answer in time (it is
     *         then killed)
     */
    List<String> run(String language, String code, String inputsJson, Duration timeout, Duration grace)
            throws InterruptedException {
        runs++;
        try {
            Frames.write(in, List.of("run", language, code, inputsJson, String.valueOf(timeout.toMillis())));
            return read(timeout.plus(grace));
        } catch (IOException e) {
            kill();
            return null;
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
    }

    private List<String> read(Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<List<String>> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("weft-sandbox-read").start(() -> {
            try {
                answer.complete(Frames.read(out, 7, maxFrameBytes));
            } catch (IOException | RuntimeException e) {
                answer.complete(null);
            }
        });
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            killedForTime = true;
            kill();
            return null;
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /** Why the worker ended: its exit status and the end of what it wrote to standard error. */
    String diagnosis() {
        String exit = process.isAlive() ? "still running" : "exit status " + exitValue();
        String tail;
        synchronized (errTail) {
            tail = errTail.toString().strip();
        }
        return exit + (tail.isEmpty() ? "" : "; " + tail.substring(Math.max(0, tail.length() - 600)));
    }

    /** The exit status once the process has ended (waits briefly for it), or -1. */
    int exitValue() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Ends the worker: closing its input lets it exit on its own; it is killed if it does not. */
    void close() {
        try {
            in.close();
        } catch (IOException e) {
            // it is going away anyway
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
        deleteScratch();
    }

    void deleteScratch() {
        deleteTree(scratch);
    }

    private static void deleteTree(Path scratch) {
        try (var files = Files.walk(scratch)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a later start cleans the scratch root
        }
    }

    private void drainErr(InputStream err) {
        byte[] buffer = new byte[4096];
        try (err) {
            int n;
            while ((n = err.read(buffer)) >= 0) {
                synchronized (errTail) {
                    errTail.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (errTail.length() > 8192) {
                        errTail.delete(0, errTail.length() - 4096);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
