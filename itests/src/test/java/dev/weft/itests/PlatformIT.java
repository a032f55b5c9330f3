package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.platform.registry.PluginRegistry;
import dev.weft.platform.store.WorkspaceRepository;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The platform as the distribution assembles it: every bundle active, health, the plug-in
 * registry over HTTP, and the error contract of the console API.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT {

    @Inject
    BundleContext context;

    @Inject
    PluginRegistry registry;

    @Inject
    WorkspaceRepository workspaces;

    private Http http;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void healthy() {
        http = new Http(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        Await.until("health 200", Duration.ofSeconds(30), () -> {
            Http.Answer health = http.tryGet("/api/health");
            return health != null && health.status() == 200;
        });
    }

    @Test
    public void every_bundle_of_the_distribution_is_active() throws Exception {
        List<java.nio.file.Path> distribution = Jars.jarsIn(WeftOptions.distribution().resolve("bundles"));
        Map<String, Bundle> installed = Arrays.stream(context.getBundles())
                .collect(Collectors.toMap(Bundle::getSymbolicName, Function.identity(), (a, b) -> a));

        assertThat(distribution).hasSizeGreaterThan(40);
        for (java.nio.file.Path jar : distribution) {
            Jars.BundleName name = Jars.bundleName(jar);
            assertThat(installed).as("installed bundles").containsKey(name.symbolicName());
            if (!name.fragment()) {
                assertThat(installed.get(name.symbolicName()).getState())
                        .as(name.symbolicName() + " state").isEqualTo(Bundle.ACTIVE);
            }
        }
    }

    @Test
    public void health_answers_up_with_the_version() {
        Http.Answer health = http.get("/api/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.contentType()).startsWith("application/json");
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        assertThat(health.json().path("version").asText()).isEqualTo(context.getProperty("weft.version"));
    }

    @Test
    public void plugins_lists_every_bundle_active_and_without_error() {
        Http.Answer answer = http.get("/console/api/plugins");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode bundles = answer.json().path("bundles");
        assertThat(bundles.size()).isEqualTo(context.getBundles().length);
        for (JsonNode bundle : bundles) {
            assertThat(bundle.has("id") && bundle.has("symbolic_name") && bundle.has("version")
                    && bundle.has("fragment") && bundle.has("services") && bundle.has("error")).isTrue();
            if (bundle.path("source").asText().equals("platform")) {
                assertThat(bundle.path("state").asText()).as(bundle.path("symbolic_name").asText()).isEqualTo("ACTIVE");
                assertThat(bundle.path("error").isNull()).as(bundle.toString()).isTrue();
                assertThat(bundle.path("location").asText()).startsWith("bundles/");
            }
        }
        assertThat(registry.bundles()).hasSize(bundles.size());
    }

    @Test
    public void the_store_holds_one_default_workspace() {
        assertThat(workspaces.list()).hasSize(1);
        JsonNode current = http.get("/console/api/workspaces/current").json();
        assertThat(current.path("id").asText()).isEqualTo(workspaces.defaultWorkspace().id());
        assertThat(current.path("created_at").asLong()).isPositive();
    }

    @Test
    public void unknown_routes_answer_404_problem_json() {
        for (String path : List.of("/nope", "/api/nope", "/console/api/nope", "/console/api/node-types/no.such-type")) {
            Http.Answer answer = http.get(path);

            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
            JsonNode problem = answer.json();
            assertThat(problem.path("status").asInt()).isEqualTo(404);
            assertThat(problem.path("code").asText()).isEqualTo("not_found");
            assertThat(problem.path("type").asText()).isNotEmpty();
            assertThat(problem.path("title").asText()).isNotEmpty();
            assertThat(problem.path("request_id").asText()).isNotEmpty();
        }
    }

    @Test
    public void the_service_api_answers_errors_in_difys_shape() {
        Http.Answer answer = http.get("/v1/nope");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("code").asText()).isEqualTo("not_found");
        assertThat(answer.json().path("status").asInt()).isEqualTo(404);
        assertThat(answer.json().has("message")).isTrue();
    }

    /**
     * Every JSON POST route of the console API, found on the registered resources, refuses a
     * malformed body with 400 problem+json and no stack frame.
     */
    @Test
    public void every_console_json_post_route_refuses_malformed_json_with_400() throws Exception {
        List<String> routes = consoleJsonPostRoutes();
        assertThat(routes).isNotEmpty();

        String operatorToken = java.nio.file.Files.readString(
                java.nio.file.Path.of(context.getProperty("weft.conf"), "operator.token")).strip();
        for (String entry : routes) {
            boolean operator = entry.startsWith("operator:");
            String route = operator ? entry.substring("operator:".length()) : entry;
            for (String body : List.of("{\"name\": ", "not json", "{\"a\":1} trailing", "[".repeat(1000))) {
                Http.Answer answer = operator
                        ? Http.anonymous(http.port()).send("POST", route, body, "Content-Type", "application/json",
                                "Authorization", "Bearer " + operatorToken)
                        : http.post(route, "application/json", body);

                assertThat(answer.status()).as(route + " with " + body).isEqualTo(400);
                assertThat(answer.contentType()).startsWith("application/problem+json");
                assertThat(answer.json().path("code").asText()).isEqualTo("invalid_json");
                assertNoStackFrames(answer.body());
            }
        }
    }

    @Test
    public void an_invalid_body_answers_422_with_every_violation() {
        Http.Answer answer = http.post("/console/api/workspaces/info", "application/json", "{\"name\": [1, 2]}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("errors").get(0).path("path").asText()).isEqualTo("/name");
        assertNoStackFrames(answer.body());

        Http.Answer blank = http.post("/console/api/workspaces/info", "application/json", "{\"name\": \"   \"}");
        assertThat(blank.status()).isEqualTo(422);
        assertThat(workspaces.defaultWorkspace().name()).isNotBlank();
    }

    @Test
    public void a_valid_body_renames_the_current_workspace() {
        String before = workspaces.defaultWorkspace().name();
        try {
            Http.Answer answer = http.post("/console/api/workspaces/info", "application/json", "{\"name\": \" Lab \"}");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("name").asText()).isEqualTo("Lab");
            assertThat(workspaces.defaultWorkspace().name()).isEqualTo("Lab");
        } finally {
            workspaces.rename(workspaces.defaultWorkspace().id(), before);
        }
    }

    static void assertNoStackFrames(String body) {
        assertThat(body).doesNotContainPattern("\\bat [a-z]+\\.[a-zA-Z0-9_.$]+\\(")
                .doesNotContain("Exception").doesNotContain(".java:");
    }

    /** The paths of @POST methods consuming JSON on resources whose class path is under /console/api. */
    private List<String> consoleJsonPostRoutes() throws Exception {
        List<String> routes = new ArrayList<>();
        ServiceReference<?>[] references = context.getAllServiceReferences(null, "(osgi.jakartars.resource=true)");
        for (ServiceReference<?> reference : references) {
            Object resource = context.getService(reference);
            try {
                Path classPath = resource.getClass().getAnnotation(Path.class);
                if (classPath == null || !classPath.value().startsWith("/console/api")) {
                    continue;
                }
                for (Method method : resource.getClass().getMethods()) {
                    Consumes consumes = method.getAnnotation(Consumes.class);
                    if (method.isAnnotationPresent(POST.class) && consumes != null
                            && Arrays.asList(consumes.value()).contains("application/json")) {
                        Path methodPath = method.getAnnotation(Path.class);
                        String path = classPath.value() + (methodPath == null ? "" : "/" + methodPath.value());
                        // operator routes take the operator's token rather than a session
                        boolean operator = Arrays.stream(resource.getClass().getAnnotations())
                                .anyMatch(a -> a.toString().contains("OPERATOR"));
                        // a parameter limited to a few words ({action: enable|disable}) takes the first
                        String concrete = path.replaceAll("\\{\\w+:\\s*([\\w-]+)(\\|[^}]*)?}", "$1")
                                .replaceAll("\\{[^}]+}", "x");
                        routes.add((operator ? "operator:" : "") + concrete);
                    }
                }
            } finally {
                context.ungetService(reference);
            }
        }
        return routes;
    }

}
