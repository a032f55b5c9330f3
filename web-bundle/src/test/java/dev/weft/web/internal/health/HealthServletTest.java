package dev.weft.web.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.platform.registry.PluginRegistry;
import dev.weft.platform.store.WorkspaceRepository;
import dev.weft.web.internal.json.Json;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthServletTest {

    private final HealthServlet health = new HealthServlet("1.2.3");

    @Test
    void should_answer_503_with_each_check_until_everything_is_up() throws Exception {
        health.registry = stub(PluginRegistry.class);
        health.web = () -> true;

        Answer answer = get();

        assertThat(answer.status).isEqualTo(503);
        assertThat(answer.headers).containsKey("Retry-After");
        assertThat(answer.json.path("status").asText()).isEqualTo("DOWN");
        assertThat(answer.json.path("checks").path("store").asText()).isEqualTo("DOWN");
        assertThat(answer.json.path("checks").path("registry").asText()).isEqualTo("UP");
    }

    @Test
    void should_count_a_rebuilding_web_layer_as_down() throws Exception {
        health.store = stub(WorkspaceRepository.class);
        health.registry = stub(PluginRegistry.class);
        health.web = () -> false;

        assertThat(get().json.path("checks").path("web").asText()).isEqualTo("DOWN");
    }

    @Test
    void should_answer_200_with_status_and_version_once_up() throws Exception {
        health.store = stub(WorkspaceRepository.class);
        health.registry = stub(PluginRegistry.class);
        health.web = () -> true;

        Answer answer = get();

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.headers).containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(answer.json.toString()).isEqualTo("{\"status\":\"UP\",\"version\":\"1.2.3\"}");
    }

    private record Answer(int status, Map<String, String> headers, JsonNode json) {
    }

    private Answer get() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> headers = new HashMap<>();
        int[] status = {0};
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                // blocking writes only
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                    case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                    case "getOutputStream" -> out;
                    default -> null;
                });
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> null;
                });
        health.doGet(request, response);
        return new Answer(status[0], headers, Json.mapper().readTree(body.toByteArray()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type) {
        return (T) Proxy.newProxyInstance(HealthServletTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> null);
    }
}
