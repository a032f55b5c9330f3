package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.provider.testing.FakeOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
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
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The console's model API over HTTP, in the distribution's bundles, against the fake
 * OpenAI-compatible server on loopback: credentials verified by a real call before they are kept,
 * never shown again, used by the workspace's runs; default models; the accounts of every call.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelsApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-itest-0123456789abcdef";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    dev.weft.api.model.ModelRuntime runtime;

    @Inject
    dev.weft.api.model.ModelRouting routing;

    private Http http;
    private FakeOpenAiServer fake;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void setUp() throws Exception {
        fake = new FakeOpenAiServer();
        // a base URL that a workspace member enters goes through the egress guard: the operator allows this one
        Configs.allowEgressTo(configurations, fake.port());
        http = new Http(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        Await.until("the model API", Duration.ofSeconds(30), () -> {
            Http.Answer providers = http.tryGet("/console/api/workspaces/current/model-providers");
            return providers != null && providers.status() == 200;
        });
    }

    @After
    public void tearDown() throws IOException {
        fake.close();
    }

    private Http.Answer saveKey(String key, String baseUrl) {
        try {
            return http.post("/console/api/workspaces/current/model-providers/openai/credentials", "application/json",
                    JSON.writeValueAsString(Map.of("credentials", Map.of("api_key", key, "base_url", baseUrl))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    public void credentials_are_verified_kept_hidden_and_used_by_the_workspaces_runs() throws Exception {
        JsonNode providers = http.get("/console/api/workspaces/current/model-providers").json().path("data");
        assertThat(providers.toString()).contains("\"provider\":\"openai\"").contains("\"provider\":\"local\"")
                .contains("\"provider\":\"deepseek\"");

        fake.then(FakeOpenAiServer.Scripted.error(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
        Http.Answer refused = Await.until("the egress configuration", Duration.ofSeconds(20), () -> {
            Http.Answer attempt = saveKey("sk-wrong-key-000", fake.baseUrl());
            return attempt.body().contains("egress blocked") ? null : attempt;
        });
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("authentication_failed").contains("Incorrect API key").doesNotContain("sk-wrong");
        assertThat(http.get("/console/api/workspaces/current/model-providers/openai/credentials").json().path("credentials").isNull())
                .isTrue();

        Http.Answer metadata = saveKey(KEY, "http://169.254.169.254/v1");
        assertThat(metadata.status()).isEqualTo(400);
        assertThat(metadata.body()).contains("egress blocked");

        assertThat(saveKey(KEY, fake.baseUrl()).status()).isEqualTo(200);
        JsonNode shown = http.get("/console/api/workspaces/current/model-providers/openai/credentials").json();
        assertThat(shown.path("credentials").path("base_url").asText()).isEqualTo(fake.baseUrl());
        assertThat(shown.toString()).doesNotContain(KEY);
        assertThat(http.get("/console/api/workspaces/current/model-providers/openai/models").json().path("data").toString())
                .contains("fake-chat");

        assertThat(http.post("/console/api/workspaces/current/default-model", "application/json",
                "{\"model_settings\": [{\"model_type\": \"llm\", \"provider\": \"openai\", \"model\": \"fake-chat\"}]}").status())
                .isEqualTo(200);
        assertThat(http.get("/console/api/workspaces/current/default-model?model_type=llm").json().path("data").path("model").asText())
                .isEqualTo("fake-chat");
        assertThat(send("PUT", "/console/api/workspaces/current/model-prices",
                "{\"provider\": \"openai\", \"model\": \"fake-chat\", \"input_per_million\": 2, \"output_per_million\": 8}").status())
                .isEqualTo(200);

        // a chatflow whose LLM names openai runs on the workspace's credentials
        String app = http.post("/console/api/apps/imports", "application/json", JSON.writeValueAsString(Map.of("mode", "yaml-content",
                "yaml_content", """
                app: {mode: advanced-chat, name: Ask}
                kind: app
                version: 0.1.5
                workflow:
                  graph:
                    nodes:
                    - {id: start, data: {type: start, title: Start, variables: []}}
                    - id: llm
                      data:
                        type: llm
                        title: LLM
                        model: {provider: langgenius/openai/openai, name: fake-chat, mode: chat, completion_params: {temperature: 0.1}}
                        prompt_template: [{role: system, text: You are brief.}]
                        memory: {window: {enabled: true, size: 10}, query_prompt_template: '{{#sys.query#}}'}
                    - {id: answer, data: {type: answer, title: Answer, answer: '{{#llm.text#}}'}}
                    edges:
                    - {id: e1, source: start, target: llm, sourceHandle: source, targetHandle: target}
                    - {id: e2, source: llm, target: answer, sourceHandle: source, targetHandle: target}
                """))).json().path("app_id").asText();
        Http.Answer run = http.post("/console/api/apps/" + app + "/advanced-chat/workflows/draft/run", "application/json",
                "{\"query\": \"What is weft?\"}");
        assertThat(run.body()).contains("\"event\":\"message_end\"").contains(FakeOpenAiServer.DEFAULT_ANSWER)
                .doesNotContain(KEY);
        // the model's tokens reach the user through the answer while the model still writes
        List<String> lines = run.body().lines().filter(l -> l.startsWith("data: ")).toList();
        int firstMessage = -1;
        int llmFinished = -1;
        int messageEvents = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode event = JSON.readTree(lines.get(i).substring(6));
            if (event.path("event").asText().equals("message")) {
                messageEvents++;
                firstMessage = firstMessage < 0 ? i : firstMessage;
            }
            if (event.path("event").asText().equals("node_finished") && event.path("data").path("node_id").asText().equals("llm")) {
                llmFinished = i;
            }
        }
        assertThat(messageEvents).as("message events").isGreaterThan(2);
        assertThat(firstMessage).as("the first message event comes before the model's node_finished").isBetween(0, llmFinished);
        FakeOpenAiServer.Request call = fake.requests().get(fake.requests().size() - 1);
        assertThat(call.header("authorization")).isEqualTo("Bearer " + KEY);
        assertThat(call.json().path("messages").toString()).contains("What is weft?");

        // the next turn of the conversation remembers the first
        String conversation = JSON.readTree(run.body().lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow()
                .substring(6)).path("conversation_id").asText();
        http.post("/console/api/apps/" + app + "/advanced-chat/workflows/draft/run", "application/json",
                "{\"query\": \"And then?\", \"conversation_id\": \"" + conversation + "\"}");
        JsonNode messages = fake.requests().get(fake.requests().size() - 1).json().path("messages");
        assertThat(messages).extracting(m -> m.path("role").asText() + ":" + m.path("content").asText()).containsExactly(
                "system:You are brief.", "user:What is weft?", "assistant:" + FakeOpenAiServer.DEFAULT_ANSWER, "user:And then?");

        JsonNode usage = Await.until("the call accounted", Duration.ofSeconds(10), () -> {
            JsonNode data = http.get("/console/api/workspaces/current/model-usage?days=1").json().path("data");
            return data.isArray() && !data.isEmpty() ? data : null;
        });
        assertThat(usage.get(0).path("model").asText()).isEqualTo("fake-chat");
        assertThat(usage.get(0).path("calls").asLong()).isPositive();
        assertThat(usage.get(0).path("total_tokens").asLong()).isPositive();
        assertThat(Double.parseDouble(usage.get(0).path("total_price").asText())).isPositive();

        assertThat(send("DELETE", "/console/api/workspaces/current/model-providers/openai/credentials", null).status()).isEqualTo(204);
        assertThat(send("DELETE", "/console/api/workspaces/current/model-providers/openai/credentials", null).status()).isEqualTo(404);
        assertThat(http.get("/console/api/workspaces/current/default-model?model_type=nonsense").status()).isEqualTo(422);
    }

    @Test
    public void a_models_parameter_rules_are_listed_and_enforced_before_any_call() throws Exception {
        JsonNode rules = http.get("/console/api/workspaces/current/model-providers/langgenius/anthropic/anthropic/models/"
                + "parameter-rules?model=claude-sonnet-4-5").json().path("data");
        JsonNode temperature = null;
        for (JsonNode rule : rules) {
            if (rule.path("name").asText().equals("temperature")) {
                temperature = rule;
            }
        }
        assertThat(temperature).as("anthropic's temperature rule in " + rules).isNotNull();
        assertThat(temperature.path("type").asText()).isEqualTo("float");
        assertThat(temperature.path("max").asDouble()).isEqualTo(1.0);
        assertThat(http.get("/console/api/workspaces/current/model-providers/openai/models/parameter-rules").status()).isEqualTo(400);

        try (AutoCloseable route = routing.routeAllTo(fake.baseUrl(), "sk-rules")) {
            int before = fake.requests().size();
            dev.weft.spi.model.ChatRequest tooHot = new dev.weft.spi.model.ChatRequest(
                    List.of(dev.weft.spi.model.ChatMessage.User.of("hi")), List.of(), null,
                    new dev.weft.spi.model.ModelParameters(3.0, null, null, List.of("a", "b", "c", "d", "e"), null, null, null, null),
                    null, null);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime.chat(
                    new dev.weft.api.model.ModelCall("ws", "openai", "gpt-4o", "run", "llm"), tooHot))
                    .isInstanceOf(dev.weft.spi.model.NonRetriableModelException.InvalidRequest.class)
                    .hasMessageContaining("temperature 3.0 is above 2").hasMessageContaining("at most 4");
            assertThat(fake.requests()).as("no call was made").hasSize(before);
        }
    }

    private Http.Answer send(String method, String path, String body) {
        try {
            HttpRequest.Builder request = http.request(path).timeout(Duration.ofSeconds(30));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            var response = http.client().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Http.Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
