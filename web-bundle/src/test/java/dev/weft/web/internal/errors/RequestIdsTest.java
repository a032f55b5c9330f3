package dev.weft.web.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void should_keep_a_well_formed_id_from_a_proxy() {
        assertThat(RequestIds.of(request("abc-123_XYZ.9"))).isEqualTo("abc-123_XYZ.9");
    }

    @Test
    void should_replace_ids_that_could_forge_log_lines_or_are_too_short() {
        for (String offered : new String[] {"x\nERROR forged", "a b c d e f g", "short", "x".repeat(65)}) {
            String id = RequestIds.of(request(offered));

            assertThat(id).as(offered).matches("[0-9a-f]{24}");
        }
    }

    @Test
    void should_give_one_request_one_id() {
        HttpServletRequest request = request(null);

        assertThat(RequestIds.of(request)).isEqualTo(RequestIds.of(request));
    }

    /** A request double that answers the header and keeps attributes. */
    private static HttpServletRequest request(String header) {
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(RequestIdsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> header;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> null;
                });
    }
}
