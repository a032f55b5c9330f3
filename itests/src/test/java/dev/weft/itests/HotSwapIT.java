package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelRouting;
import dev.weft.api.model.ModelRuntime;
import dev.weft.provider.testing.FakeOpenAiServer;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A provider bundle replaced in {@code deploy/} while calls stream through it: no call fails, calls
 * under way finish on the instance they started with, and calls after the swap reach the new
 * version (the provider names its bundle version in its User-Agent).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

    private static final String OPENAI = "dev.weft.provider.openai";

    @Inject
    BundleContext context;

    @Inject
    ModelRuntime runtime;

    @Inject
    ModelRouting routing;

    private final List<Path> dropped = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @After
    public void removeDropped() throws IOException {
        for (Path file : dropped) {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void a_provider_bundle_is_replaced_while_calls_stream_through_it() throws Exception {
        Path deploy = Path.of(context.getProperty("weft.deploy"));
        Path shipped = null;
        for (Path jar : Jars.jarsIn(WeftOptions.distribution().resolve("bundles"))) {
            if (Jars.bundleName(jar).symbolicName().equals(OPENAI)) {
                shipped = jar;
            }
        }
        assertThat(shipped).as("the distribution ships the openai provider").isNotNull();
        // the provider moves from bundles/ to deploy/, where an operator replaces it
        for (Bundle bundle : context.getBundles()) {
            if (OPENAI.equals(bundle.getSymbolicName())) {
                bundle.uninstall();
            }
        }
        Path work = Files.createTempDirectory("hot-swap");
        Path first = withVersion(shipped, "9.1.0", work.resolve("first.jar"));
        Path second = withVersion(shipped, "9.2.0", work.resolve("second.jar"));

        try (FakeOpenAiServer fake = new FakeOpenAiServer(); AutoCloseable route = routing.routeAllTo(fake.baseUrl(), "sk-swap")) {
            fake.pace(Duration.ofMillis(40));
            dropped.add(Jars.drop(first, deploy, "openai-provider.jar"));
            java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
            Await.until("the first version serves", Duration.ofSeconds(20), () -> {
                try {
                    runtime.chat(call(), hello());
                    last.set("agents: " + agents(fake));
                    return agents(fake).contains("weft-provider-openai/9.1.0");
                } catch (Exception e) {
                    last.set(e.toString());
                    return false;
                }
            }, last::get);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger finished = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        StringBuilder text = new StringBuilder();
                        try {
                            runtime.stream(call(), hello(), event -> {
                                if (event instanceof ChatEvent.TextDelta delta) {
                                    text.append(delta.text());
                                }
                            });
                            if (!text.toString().equals(FakeOpenAiServer.DEFAULT_ANSWER)) {
                                failures.add("an incomplete answer: " + text);
                            }
                            finished.incrementAndGet();
                        } catch (Exception e) {
                            failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                }));
            }
            Await.until("calls streaming through the first version", Duration.ofSeconds(30), () -> finished.get() >= 8);
            int beforeSwap = finished.get();
            dropped.add(Jars.drop(second, deploy, "openai-provider.jar"));
            Await.until("the second version serves", Duration.ofSeconds(20),
                    () -> agents(fake).contains("weft-provider-openai/9.2.0"));
            int atSwap = fake.requests().size();
            int finishedAtSwap = finished.get();
            Await.until("calls streaming through the second version", Duration.ofSeconds(30),
                    () -> finished.get() >= finishedAtSwap + 16);
            running.set(false);
            for (Thread caller : callers) {
                caller.join(Duration.ofSeconds(30));
            }

            assertThat(failures).as("calls that failed during the swap").isEmpty();
            assertThat(beforeSwap).as("calls streamed before the swap").isPositive();
            assertThat(finished.get()).as("calls streamed in all").isGreaterThan(beforeSwap);
            List<String> after = agents(fake).subList(atSwap, fake.requests().size());
            assertThat(after).as("calls after the swap").isNotEmpty().containsOnly("weft-provider-openai/9.2.0");
            Bundle serving = null;
            for (Bundle bundle : context.getBundles()) {
                if (OPENAI.equals(bundle.getSymbolicName())) {
                    serving = bundle;
                }
            }
            assertThat(serving).isNotNull();
            assertThat(serving.getVersion().toString()).isEqualTo("9.2.0");
            assertThat(serving.getState()).isEqualTo(Bundle.ACTIVE);
        }
    }

    private static List<String> agents(FakeOpenAiServer fake) {
        return fake.requests().stream().map(r -> r.header("User-Agent")).toList();
    }

    private static ModelCall call() {
        return new ModelCall("ws", "openai", "fake-chat", "swap-run", "llm");
    }

    private static ChatRequest hello() {
        return ChatRequest.of(List.of(ChatMessage.User.of("Hello?")));
    }

    /** A copy of a bundle jar with another Bundle-Version. */
    private static Path withVersion(Path jar, String version, Path target) throws IOException {
        try (JarFile source = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(source.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry : java.util.Collections.list(source.entries())) {
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return target;
    }
}
