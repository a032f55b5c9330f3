package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Weft behind a TLS-terminating proxy ({@code WEFT_BEHIND_PROXY=true}): a request the proxy marks
 * as HTTPS ({@code X-Forwarded-Proto: https}) gets its session cookie with {@code Secure}, a plain
 * one without. (By default forwarded headers are not trusted: SecurityEdgesIT.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BehindProxyIT {

    @Inject
    BundleContext context;

    private int port;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform(Map.of("WEFT_BEHIND_PROXY", "true"));
    }

    @Before
    public void setUp() {
        port = Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
        Http owner = new Http(port);
        Await.until("the console", Duration.ofSeconds(30), () -> {
            Http.Answer apps = owner.tryGet("/console/api/apps");
            return apps != null && apps.status() == 200;
        });
    }

    @Test
    public void the_session_cookie_is_secure_when_the_proxy_says_the_client_came_over_https() throws Exception {
        String proxied = login("X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.7\r\n");
        assertThat(proxied).startsWith("HTTP/1.1 200");
        assertThat(sessionCookie(proxied)).contains("HttpOnly").contains("Secure").containsIgnoringCase("SameSite=Lax");

        String plain = login("");
        assertThat(plain).startsWith("HTTP/1.1 200");
        assertThat(sessionCookie(plain)).contains("HttpOnly").doesNotContain("Secure");
    }

    private String login(String headers) throws IOException {
        String body = "{\"email\": \"" + Http.OWNER_EMAIL + "\", \"password\": \"" + Http.OWNER_PASSWORD + "\"}";
        String request = "POST /console/api/auth/login HTTP/1.1\r\nHost: weft.example\r\n" + headers
                + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + body;
        return Http.raw(port, request);
    }

    private static String sessionCookie(String response) {
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, "Set-Cookie: weft_session=", 0, "Set-Cookie: weft_session=".length())) {
                return line;
            }
        }
        throw new AssertionError("no session cookie in " + response);
    }
}
