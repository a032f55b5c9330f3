package dev.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkConfigTest {

    @TempDir
    Path home;

    @Test
    void should_listen_on_loopback_port_8080_by_default() throws Exception {
        Map<String, String> props = FrameworkConfig.properties(new Layout(home, home), Map.of(), "1.2.3");

        assertThat(props).containsEntry("org.osgi.service.http.port", "8080")
                .containsEntry("org.apache.felix.http.host", "127.0.0.1")
                .containsEntry("weft.version", "1.2.3")
                .containsEntry("org.osgi.framework.storage", home.resolve("cache").toString());
    }

    @Test
    void should_take_the_listener_from_the_environment() throws Exception {
        Map<String, String> props = FrameworkConfig.properties(new Layout(home, home),
                Map.of("WEFT_HTTP_PORT", "9191", "WEFT_HTTP_HOST", "0.0.0.0"), "1");

        assertThat(props).containsEntry("org.osgi.service.http.port", "9191")
                .containsEntry("org.apache.felix.http.host", "0.0.0.0");
    }

    @Test
    void should_trust_forwarded_headers_only_when_told_it_runs_behind_a_proxy() throws Exception {
        String key = "org.apache.felix.proxy.load.balancer.connection.enable";
        assertThat(FrameworkConfig.properties(new Layout(home, home), Map.of(), "1")).containsEntry(key, "false");
        assertThat(FrameworkConfig.properties(new Layout(home, home), Map.of("WEFT_BEHIND_PROXY", "true"), "1"))
                .containsEntry(key, "true");
        assertThatThrownBy(() -> FrameworkConfig.behindProxy(Map.of("WEFT_BEHIND_PROXY", "maybe")))
                .isInstanceOf(UsageException.class).hasMessageContaining("'maybe'");
    }

    @Test
    void should_refuse_a_port_that_is_not_a_port() {
        assertThatThrownBy(() -> FrameworkConfig.port(Map.of("WEFT_HTTP_PORT", "80a")))
                .isInstanceOf(UsageException.class).hasMessageContaining("'80a'");
        assertThatThrownBy(() -> FrameworkConfig.port(Map.of("WEFT_HTTP_PORT", "70000")))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void should_refuse_a_host_with_shell_or_url_characters() {
        assertThatThrownBy(() -> FrameworkConfig.host(Map.of("WEFT_HTTP_HOST", "localhost/evil")))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void should_let_conf_framework_properties_override_defaults() throws Exception {
        Layout layout = new Layout(home, home);
        layout.prepare();
        Files.writeString(layout.conf().resolve("framework.properties"), "felix.fileinstall.poll=250\n");

        assertThat(FrameworkConfig.properties(layout, Map.of(), "1")).containsEntry("felix.fileinstall.poll", "250");
    }
}
