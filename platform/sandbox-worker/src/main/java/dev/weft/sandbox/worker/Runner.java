package dev.weft.sandbox.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Runs guest code, one fresh context per run, on one shared engine (its parsed sources and warmed
 * code are shared; nothing a guest creates is). Python contexts cost 100 ms or more to create, so
 * the next one is made, with its prelude, while the worker waits for the next request.
 */
final class Runner implements AutoCloseable {

    static final List<String> LANGUAGES = List.of("python3", "javascript");

    private final String allowedModules;
    private final int maxOutput;
    private final int maxResult;
    private final Engine engine;
    private final Source pythonPrelude;
    private final Source jsPrelude;
    private final BlockingQueue<Prepared> nextPython = new ArrayBlockingQueue<>(1);
    private final ExecutorService maker = Executors.newSingleThreadExecutor(r -> daemon(r, "weft-context-maker"));
    private final ScheduledExecutorService watchdog = watchdog();

    /** A context with its prelude run, and the runner function the prelude returned. */
    private record Prepared(Context context, Value runner, BoundedOutput output) {
    }

    /** One run's answer, as the frame fields the platform reads. */
    record Outcome(String status, String code, String message, String result, String output, boolean truncated, long elapsedMillis) {
        List<String> fields() {
            return List.of(status, code, message, result, output, truncated ? "1" : "0", String.valueOf(elapsedMillis));
        }

        static Outcome failure(String code, String message, BoundedOutput output, long elapsed) {
            return new Outcome("error", code, message, "", output == null ? "" : output.text(),
                    output != null && output.truncated(), elapsed);
        }
    }

    Runner(String allowedModules, int maxOutput, int maxResult) {
        this.allowedModules = allowedModules;
        this.maxOutput = maxOutput;
        this.maxResult = maxResult;
        this.engine = Engine.newBuilder("python", "js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.pythonPrelude = source("python", "prelude.py");
        this.jsPrelude = source("js", "prelude.js");
    }

    private static Source source(String language, String resource) {
        try (InputStream in = Runner.class.getResourceAsStream(resource)) {
            return Source.newBuilder(language, new String(in.readAllBytes(), StandardCharsets.UTF_8), "weft-" + resource)
                    .cached(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads and runs each allowed module once, so that the first guest does not pay for it; then makes the next context. */
    void warmUp() {
        StringBuilder code = new StringBuilder();
        for (String module : allowedModules.split(",")) {
            if (!module.isBlank()) {
                code.append("import ").append(module.strip()).append('\n');
            }
        }
        code.append("def main(a):\n    return {'r': json.dumps({'a': a}) + re.sub('x', 'y', 'x')}\n");
        run("python3", code.toString(), "{\"a\": 1}", 60_000);
        run("javascript", "function main({a}) { return {r: JSON.stringify({a}) }; }", "{\"a\": 1}", 60_000);
        prepareNextPython();
    }

    private Context newContext(String language, BoundedOutput output) {
        Context.Builder builder = Context.newBuilder(language)
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.newBuilder().allowMutableTargetMappings().build())
                .allowHostClassLookup(name -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .in(InputStream.nullInputStream())
                .out(output)
                .err(output);
        if (language.equals("js")) {
            builder.option("js.load", "false").option("js.print", "false").option("js.graal-builtin", "false");
        }
        return builder.build();
    }

    private Prepared prepare(String language) {
        BoundedOutput output = new BoundedOutput(maxOutput);
        Context context = newContext(language, output);
        try {
            Value runner;
            if (language.equals("python")) {
                context.eval(pythonPrelude);
                Value bindings = context.getBindings("python");
                runner = bindings.getMember("__weft_setup").execute(allowedModules);
                bindings.removeMember("__weft_setup");
            } else {
                runner = context.eval(jsPrelude);
            }
            return new Prepared(context, runner, output);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    private void prepareNextPython() {
        maker.execute(() -> {
            if (nextPython.isEmpty()) {
                try {
                    nextPython.offer(prepare("python"));
                } catch (RuntimeException e) {
                    // made on demand instead
                }
            }
        });
    }

    Outcome run(String language, String code, String inputsJson, long timeoutMillis) {
        long started = System.nanoTime();
        Prepared prepared;
        try {
            if (language.equals("python3")) {
                Prepared ready = nextPython.poll();
                prepared = ready != null ? ready : prepare("python");
            } else if (language.equals("javascript")) {
                prepared = prepare("js");
            } else {
                return Outcome.failure("unsupported_language", "the sandbox does not run " + language, null, 0);
            }
        } catch (RuntimeException e) {
            return Outcome.failure("sandbox_unavailable", "the sandbox could not create a context: " + e.getMessage(), null, 0);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        Context context = prepared.context();
        ScheduledFuture<?> dog = watchdog.schedule(() -> {
            timedOut.set(true);
            context.close(true);
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            Value result;
            if (language.equals("python3")) {
                // the runner compiles and runs the code itself, so that it can name the line of any error
                result = prepared.runner().execute(code, inputsJson);
            } else {
                context.eval(Source.newBuilder("js", code, "main.js").buildLiteral());
                Value main = context.eval("js", "typeof main === 'function' ? main : undefined");
                result = prepared.runner().execute(main, inputsJson);
            }
            String json = result.asString();
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            int bytes = json.length() > maxResult ? json.length() : json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxResult) {
                return Outcome.failure("output_too_large", "main returned more than " + maxResult
                        + " bytes of JSON, the most a result may have", prepared.output(), elapsed);
            }
            return new Outcome("ok", "", "", json, prepared.output().text(), prepared.output().truncated(), elapsed);
        } catch (PolyglotException e) {
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            if (timedOut.get() || e.isCancelled()) {
                return Outcome.failure("sandbox_timeout", "the code ran for longer than " + timeoutMillis
                        + " ms and was stopped", prepared.output(), elapsed);
            }
            return classify(e, pythonLine(prepared), prepared.output(), elapsed);
        } catch (RuntimeException | StackOverflowError e) {
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            if (timedOut.get()) {
                return Outcome.failure("sandbox_timeout", "the code ran for longer than " + timeoutMillis
                        + " ms and was stopped", prepared.output(), elapsed);
            }
            return Outcome.failure("code_error", e.getClass().getSimpleName() + ": " + e.getMessage(), prepared.output(), elapsed);
        } finally {
            dog.cancel(false);
            try {
                context.close(true);
            } catch (RuntimeException e) {
                // already closed by the watchdog
            }
            if (language.equals("python3")) {
                prepareNextPython();
            }
        }
    }

    /** The line of main.py where the Python guest's error arose, as its runner found it. */
    private static Integer pythonLine(Prepared prepared) {
        try {
            Value line = prepared.runner().getMember("last_line");
            return line != null && line.fitsInInt() ? line.asInt() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Outcome classify(PolyglotException e, Integer pythonLine, BoundedOutput output, long elapsed) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String where = pythonLine != null ? " (line " + pythonLine + ")" : location(e);
        if (e.isResourceExhausted() || message.startsWith("MemoryError") || message.contains("Java heap space")
                || message.contains("OutOfMemory") || message.contains("into an index-sized integer")
                || message.contains("Invalid array length") || message.contains("Invalid string length")) {
            return Outcome.failure("sandbox_memory", "the code needed more memory than the sandbox allows ("
                    + firstLine(message) + ")", output, elapsed);
        }
        if (message.contains("weft-sandbox: the module") || message.contains("weft-sandbox: relative")) {
            return Outcome.failure("sandbox_violation", strip(message), output, elapsed);
        }
        if (e.isHostException() || message.contains("is not allowed") || message.contains("PermissionError")
                || message.contains("SecurityException") || message.contains("Access to host class")
                || message.contains("host symbol") || message.contains("getaddrinfo")) {
            return Outcome.failure("sandbox_violation", "the sandbox does not allow this: " + firstLine(strip(message))
                    + where, output, elapsed);
        }
        if (e.isSyntaxError()) {
            String text = firstLine(message);
            return Outcome.failure("code_error", (text.startsWith("SyntaxError") ? text : "SyntaxError: " + text)
                    + (text.contains("line ") ? "" : where), output, elapsed);
        }
        String text = firstLine(strip(message));
        boolean located = text.startsWith("SyntaxError") && text.contains("line ");
        return Outcome.failure("code_error", text + (located ? "" : where), output, elapsed);
    }

    /** " (line N)" of the deepest frame in the guest's own code. */
    private static String location(PolyglotException e) {
        SourceSection own = e.getSourceLocation();
        if (own != null && own.getSource() != null
                && (own.getSource().getName().equals("main.py") || own.getSource().getName().equals("main.js"))) {
            return " (line " + own.getStartLine() + ")";
        }
        List<Integer> lines = new ArrayList<>();
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection section = frame.getSourceLocation();
            if (frame.isGuestFrame() && section != null && section.getSource() != null) {
                String name = section.getSource().getName();
                if (name.equals("main.py") || name.equals("main.js")) {
                    lines.add(section.getStartLine());
                }
            }
        }
        if (lines.isEmpty()) {
            SourceSection section = e.getSourceLocation();
            if (section != null && section.getSource() != null
                    && (section.getSource().getName().equals("main.py") || section.getSource().getName().equals("main.js"))) {
                return " (line " + section.getStartLine() + ")";
            }
            return "";
        }
        return " (line " + lines.get(0) + ")";
    }

    private static String strip(String message) {
        return message.replace("weft-sandbox: ", "");
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 2000 ? line.substring(0, 2000) + "…" : line;
    }

    /** A timer whose cancelled tasks (each holding a closed context) go at once, not when their delay passes. */
    private static ScheduledExecutorService watchdog() {
        java.util.concurrent.ScheduledThreadPoolExecutor timer =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> daemon(r, "weft-watchdog"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        maker.shutdownNow();
        Prepared p = nextPython.poll();
        if (p != null) {
            p.context().close(true);
        }
        engine.close(true);
    }
}
