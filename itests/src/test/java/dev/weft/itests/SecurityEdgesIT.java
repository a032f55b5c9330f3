package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
 * SECURITY.md A and B at the edge, in the distribution's bundles: other spellings of protected
 * paths never reach data without credentials (SEC-02), and a client that keeps guessing keys or
 * passwords is made to wait (SEC-05) with the same answer for every bad key. A class of its own:
 * the throttle it trips counts per client address, and every test here comes from 127.0.0.1.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityEdgesIT {

    @Inject
    BundleContext context;

    private int port;
    private Http owner;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void setUp() {
        port = Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
        owner = new Http(port);
        Await.until("the console", Duration.ofSeconds(30), () -> {
            Http.Answer apps = owner.tryGet("/console/api/apps");
            return apps != null && apps.status() == 200;
        });
    }

    @Test
    public void other_spellings_of_protected_paths_never_answer_with_data() throws Exception {
        owner.post("/console/api/apps", "application/json", "{\"name\": \"Secret app\", \"mode\": \"workflow\"}");
        assertThat(owner.get("/console/api/apps").body()).contains("Secret app");
        for (String path : List.of("/console/api/apps", "/console/api/apps/", "/console/api//apps", "/console/api/./apps",
                "/console/api/x/../apps", "/console/api/%61pps", "/console/api/apps;x=1", "/console/api/apps%2f",
                "/console/%61pi/apps", "/CONSOLE/api/apps", "/console/api/apps?api_key=x", "//console/api/apps",
                "/console/api/apps%00", "/console/api/apps%20", "/console/api/apps/..;/apps")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(statusOf(answer)).as(path).isIn(400, 401, 404);
            assertThat(answer).as(path).doesNotContain("Secret app");
        }
        // header overrides of the path or method are not honoured
        for (String header : List.of("X-Original-URL: /console/api/apps", "X-Rewrite-URL: /console/api/apps",
                "X-HTTP-Method-Override: GET", "X-Forwarded-For: 127.0.0.1")) {
            String answer = raw("GET /api/nope HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(header).doesNotContain("Secret app");
            String post = raw("POST /console/api/apps HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(statusOf(post)).as(header).isEqualTo(401);
        }
    }

    @Test
    public void a_client_that_keeps_guessing_keys_or_passwords_is_made_to_wait() {
        Http anonymous = Http.anonymous(port);
        Http.Answer first = anonymous.send("GET", "/v1/info", null, "Authorization", "Bearer app-" + "a".repeat(24));
        int guesses = 1;
        Http.Answer answer = first;
        while (answer.status() == 401 && guesses < 50) {
            // claiming another address in forwarded headers does not help: they are not trusted by default
            answer = anonymous.send("GET", "/v1/info", null, "Authorization",
                    "Bearer app-" + Integer.toString(guesses, 36).repeat(24).substring(0, 24),
                    "X-Forwarded-For", "198.51.100." + guesses, "Forwarded", "for=198.51.100." + guesses);
            if (answer.status() == 401) {
                assertThat(answer.body()).isEqualTo(first.body());
            }
            guesses++;
        }
        assertThat(answer.status()).as("blocked after %d guesses", guesses).isEqualTo(429);
        assertThat(guesses).isLessThanOrEqualTo(11);
        assertThat(answer.json().path("code").asText()).isEqualTo("too_many_requests");
        Http.Answer again = anonymous.send("GET", "/v1/info", null, "Authorization", "Bearer app-" + "b".repeat(24));
        assertThat(again.status()).isEqualTo(429);

        Http.Answer login = null;
        for (int i = 0; i < 12; i++) {
            login = anonymous.post("/console/api/auth/login", "application/json",
                    "{\"email\": \"victim@weft.test\", \"password\": \"guess-number-" + i + "\"}");
            if (login.status() == 429) {
                break;
            }
            assertThat(login.status()).isEqualTo(401);
        }
        assertThat(login.status()).isEqualTo(429);
        assertThat(login.body()).doesNotContain("victim@weft.test");
    }

    private String raw(String request) throws IOException {
        return Http.raw(port, request);
    }

    private static int statusOf(String response) {
        String[] line = response.split("\r\n", 2)[0].split(" ");
        return line.length > 1 ? Integer.parseInt(line[1]) : -1;
    }
}
