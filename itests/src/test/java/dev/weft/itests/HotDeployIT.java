package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.platform.registry.BundleReport;
import dev.weft.platform.registry.PluginRegistry;
import dev.weft.spi.node.NodeType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The deploy folder: plug-ins installed, updated and removed while the platform runs, broken jars
 * reported with their reason, and a node type contributed twice served by its highest version.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT {

    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final String TYPE = "example.text-case";

    @Inject
    BundleContext context;

    @Inject
    PluginRegistry registry;

    private Http http;
    private Path deploy;
    private Path examples;
    private final List<Path> dropped = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void setUp() {
        http = new Http(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        deploy = Path.of(context.getProperty("weft.deploy"));
        examples = WeftOptions.distribution().resolve("examples/plugins");
        Await.until("health 200", Duration.ofSeconds(30), () -> {
            Http.Answer health = http.tryGet("/api/health");
            return health != null && health.status() == 200;
        });
    }

    @After
    public void removeDropped() throws Exception {
        for (Path file : dropped) {
            Files.deleteIfExists(file);
        }
        Await.until("deploy/ emptied", Duration.ofSeconds(10), () -> registry.bundles().stream()
                .noneMatch(b -> b.location() != null && b.location().contains(deploy.getFileName() + "/")
                        && !b.location().endsWith(".txt")));
    }

    @Test
    public void the_example_is_installed_updated_and_removed_through_deploy() throws Exception {
        dropped.add(Jars.drop(examples.resolve("text-case.jar"), deploy, "text-case.jar"));
        JsonNode installed = awaitNodeType(n -> n.path("bundle_version").asText().equals("1.0.0"));
        assertThat(installed.path("version").asText()).isEqualTo("1");
        assertThat(installed.path("bundle").asText()).isEqualTo("dev.weft.example.textcase");
        assertThat(installed.path("shadowed").asBoolean()).isFalse();
        long bundleId = exampleBundle().getBundleId();

        Jars.drop(examples.resolve("v2/text-case.jar"), deploy, "text-case.jar");
        JsonNode updated = awaitNodeType(n -> n.path("bundle_version").asText().equals("1.1.0"));
        assertThat(updated.path("version").asText()).isEqualTo("2");
        assertThat(updated.path("config_schema").path("properties").path("case").path("enum").toString())
                .contains("title");
        assertThat(exampleBundle().getBundleId()).as("updated in place").isEqualTo(bundleId);

        Files.delete(deploy.resolve("text-case.jar"));
        Await.until("the example's node type gone", WITHIN, () -> examples().isEmpty());
        assertThat(context.getBundle(bundleId)).isNull();
    }

    @Test
    public void a_node_type_contributed_twice_is_served_by_its_highest_version() throws Exception {
        dropped.add(Jars.drop(examples.resolve("text-case.jar"), deploy, "a-text-case.jar"));
        dropped.add(Jars.drop(examples.resolve("v2/text-case.jar"), deploy, "b-text-case.jar"));

        List<JsonNode> types = Await.until("two contributions", WITHIN, () -> {
            List<JsonNode> list = examples();
            return list.size() == 2 ? list : null;
        });

        assertThat(types.get(0).path("version").asText()).isEqualTo("2");
        assertThat(types.get(0).path("shadowed").asBoolean()).isFalse();
        assertThat(types.get(1).path("version").asText()).isEqualTo("1");
        assertThat(types.get(1).path("shadowed").asBoolean()).isTrue();
        NodeType serving = registry.nodeType(TYPE).orElseThrow();
        assertThat(serving.descriptor().version()).isEqualTo("2");
        assertThat(http.get("/console/api/node-types/" + TYPE).json().path("version").asText()).isEqualTo("2");

        Files.delete(deploy.resolve("b-text-case.jar"));
        JsonNode remaining = awaitNodeType(n -> n.path("version").asText().equals("1"));
        assertThat(remaining.path("shadowed").asBoolean()).isFalse();
    }

    @Test
    public void broken_jars_are_listed_with_their_reason() throws Exception {
        dropped.add(Jars.dropOld("not a zip at all".getBytes(StandardCharsets.UTF_8), deploy, "corrupt.jar"));
        dropped.add(Jars.dropOld(Jars.manifestOnly(Map.of(
                "Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "itest.unresolvable",
                "Bundle-Version", "1.0.0",
                "Import-Package", "com.example.missing;version=\"[1,2)\"")), deploy, "unresolvable.jar"));

        BundleReport corrupt = awaitReport("corrupt.jar", r -> "INSTALL_FAILED".equals(r.state()));
        assertThat(corrupt.id()).isNull();
        assertThat(corrupt.error()).startsWith("not a valid jar");

        BundleReport unresolvable = awaitReport("unresolvable.jar", r -> r.error() != null);
        assertThat(unresolvable.state()).isEqualTo("INSTALLED");
        assertThat(unresolvable.symbolicName()).isEqualTo("itest.unresolvable");
        assertThat(unresolvable.error()).contains("cannot be resolved").contains("com.example.missing");

        JsonNode listed = Await.until("both listed over HTTP", WITHIN, () -> {
            JsonNode bundles = http.get("/console/api/plugins").json().path("bundles");
            List<JsonNode> broken = new ArrayList<>();
            bundles.forEach(b -> {
                if (b.path("location").asText().startsWith("deploy/") && !b.path("error").isNull()) {
                    broken.add(b);
                }
            });
            return broken.size() == 2 ? bundles : null;
        });
        assertThat(listed.toString()).contains("deploy/corrupt.jar").contains("deploy/unresolvable.jar");
        // the platform itself is untouched
        assertThat(http.get("/api/health").status()).isEqualTo(200);
    }

    @Test
    public void a_plugin_whose_component_fails_to_activate_is_listed_with_the_reason() throws Exception {
        String component = """
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.failing" immediate="true">
                  <implementation class="dev.weft.itests.failing.FailingNodeType"/>
                  <service><provide interface="dev.weft.spi.node.NodeType"/></service>
                </scr:component>
                """;
        dropped.add(Jars.dropOld(Jars.jar(Map.of(
                "Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "itest.failing",
                "Bundle-Version", "1.0.0",
                "Import-Package", "dev.weft.api.core,dev.weft.spi.node",
                "Service-Component", "OSGI-INF/failing.xml"), Map.of(
                "OSGI-INF/failing.xml", component.getBytes(StandardCharsets.UTF_8),
                "dev/weft/itests/failing/FailingNodeType.class",
                Jars.classFile(dev.weft.itests.failing.FailingNodeType.class))), deploy, "failing.jar"));

        // the component fails while the bundle starts: the report settles once the bundle is active
        BundleReport failing = awaitReport("failing.jar", r -> r.error() != null && "ACTIVE".equals(r.state()));

        assertThat(failing.state()).isEqualTo("ACTIVE");
        assertThat(failing.error()).contains("component itest.failing failed to activate")
                .contains("no licence key configured");
        assertThat(registry.nodeType("itest.failing")).isEmpty();
        assertThat(http.get("/api/health").status()).isEqualTo(200);
    }

    /** The example's entries of the node-type list, serving first. */
    private List<JsonNode> examples() {
        List<JsonNode> entries = new ArrayList<>();
        http.get("/console/api/node-types").json().path("node_types").forEach(type -> {
            if (type.path("type").asText().equals(TYPE)) {
                entries.add(type);
            }
        });
        return entries;
    }

    private Bundle exampleBundle() {
        for (Bundle bundle : context.getBundles()) {
            if ("dev.weft.example.textcase".equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("the example bundle is not installed");
    }

    private JsonNode awaitNodeType(java.util.function.Predicate<JsonNode> condition) {
        return Await.until("node type " + TYPE, WITHIN, () -> {
            for (JsonNode type : http.get("/console/api/node-types").json().path("node_types")) {
                if (type.path("type").asText().equals(TYPE) && !type.path("shadowed").asBoolean()
                        && condition.test(type)) {
                    return type;
                }
            }
            return null;
        });
    }

    private BundleReport awaitReport(String fileName, java.util.function.Predicate<BundleReport> condition) {
        return Await.until(fileName + " reported", Duration.ofSeconds(15), () -> registry.bundles().stream()
                .filter(r -> r.location() != null && r.location().endsWith("/" + fileName) && condition.test(r))
                .findFirst().orElse(null));
    }
}
