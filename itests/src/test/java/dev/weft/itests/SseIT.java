package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Resources contributed by any bundle through the whiteboard, and server-sent events that reach the
 * client as they are produced, through Jetty, the servlet whiteboard and Jersey.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SseIT {

    @Inject
    BundleContext context;

    private Http http;
    private ServiceRegistration<?> registration;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void setUp() {
        http = new Http(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        Await.until("health 200", Duration.ofSeconds(30), () -> {
            Http.Answer health = http.tryGet("/api/health");
            return health != null && health.status() == 200;
        });
    }

    @After
    public void unregister() {
        if (registration != null) {
            registration.unregister();
        }
    }

    /** A resource a plug-in could contribute: it sends "first", waits for the client to see it, then "last". */
    @Path("/itest")
    public static final class StreamResource {
        final CountDownLatch clientSawFirst = new CountDownLatch(1);

        @GET
        @Path("hello")
        @Produces(MediaType.TEXT_PLAIN)
        public String hello() {
            return "hello from a plug-in";
        }

        @GET
        @Path("stream")
        @Produces(MediaType.SERVER_SENT_EVENTS)
        public void stream(@Context SseEventSink sink, @Context Sse sse) {
            Thread.ofVirtual().start(() -> {
                try (sink) {
                    sink.send(sse.newEvent("progress", "first")).toCompletableFuture().get(5, TimeUnit.SECONDS);
                    boolean seen = clientSawFirst.await(10, TimeUnit.SECONDS);
                    sink.send(sse.newEvent("progress", "last, client saw first: " + seen))
                            .toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the client went away
                }
            });
        }
    }

    @Test
    public void a_contributed_resource_appears_and_disappears_with_its_service() {
        assertThat(http.get("/itest/hello").status()).isEqualTo(404);

        registerStreamResource();
        awaitRebuilt();
        Http.Answer hello = http.get("/itest/hello");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello from a plug-in");

        registration.unregister();
        registration = null;
        awaitRebuilt();
        assertThat(http.get("/itest/hello").status()).isEqualTo(404);
    }

    /** A plug-in resource that claims a core route. */
    @Path("/console/api/plugins")
    public static final class ClashingResource {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public String list() {
            return "{\"hijacked\": true}";
        }
    }

    @Test
    public void a_resource_that_clashes_with_a_core_route_is_left_out_and_the_rest_keeps_serving() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.jakartars.resource", Boolean.TRUE);
        registration = context.registerService(ClashingResource.class, new ClashingResource(), props);
        awaitRebuilt();

        Http.Answer plugins = http.get("/console/api/plugins");
        assertThat(plugins.status()).isEqualTo(200);
        assertThat(plugins.body()).doesNotContain("hijacked").contains("\"bundles\"");
    }

    @Test
    public void events_reach_the_client_before_the_server_emits_the_last_one() throws Exception {
        StreamResource resource = registerStreamResource();
        awaitRebuilt();

        HttpResponse<InputStream> response = http.client().send(
                http.request("/itest/stream").header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");

        List<String> data = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    data.add(line.substring(5).trim());
                    // the server is waiting for this before it emits the last event
                    resource.clientSawFirst.countDown();
                }
            }
        }

        assertThat(data).containsExactly("first", "last, client saw first: true");
    }

    @Test
    public void the_plugin_registry_streams_its_changes() throws Exception {
        HttpResponse<InputStream> response = http.client().send(
                http.request("/console/api/plugins/events").timeout(Duration.ofSeconds(30)).GET()
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
        List<String> events = new ArrayList<>();
        List<Long> generations = new ArrayList<>();
        org.osgi.framework.Bundle[] marker = new org.osgi.framework.Bundle[1];
        java.util.concurrent.Future<?> reading = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event:")) {
                        events.add(line.substring(6).trim());
                    } else if (line.startsWith("data:")) {
                        generations.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line.substring(5))
                                .path("generation").asLong());
                        if (events.size() == 1) {
                            // a change of the picture: a bundle installed
                            marker[0] = context.installBundle("itest:marker", new java.io.ByteArrayInputStream(
                                    Jars.manifestOnly(java.util.Map.of("Bundle-ManifestVersion", "2",
                                            "Bundle-SymbolicName", "itest.marker"))));
                        } else {
                            return null;
                        }
                    }
                }
                return null;
            }
        });
        try {
            reading.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            response.body().close();
            throw new AssertionError("no change event within 20 s; got " + events, e);
        } finally {
            if (marker[0] != null) {
                marker[0].uninstall();
            }
        }

        assertThat(events).containsExactly("ready", "plugins_changed");
        assertThat(generations.get(1)).isGreaterThan(generations.get(0));
    }

    private StreamResource registerStreamResource() {
        StreamResource resource = new StreamResource();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.jakartars.resource", Boolean.TRUE);
        registration = context.registerService(StreamResource.class, resource, props);
        return resource;
    }

    /** The whiteboard reports not-ready from the moment a resource comes or goes until it has rebuilt. */
    private void awaitRebuilt() {
        Await.until("the REST application rebuilt", Duration.ofSeconds(10),
                () -> http.get("/api/health").status() == 200);
    }
}
