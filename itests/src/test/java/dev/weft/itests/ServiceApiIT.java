package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.provider.testing.FakeOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.inject.Inject;
import javax.sql.DataSource;
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
 * The service API in the distribution's bundles, against the fake OpenAI-compatible model on
 * loopback: published apps answer under {@code /v1} with their keys (chat with memory, blocking and
 * streamed; completion; workflows), conversations stay their end user's, keys are shown once,
 * stored hashed and refused uniformly, members see only their workspaces (SECURITY.md A, B, C).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServiceApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT_APP = """
            app: {mode: chat, name: Helper, description: A brief helper}
            kind: app
            version: 0.1.5
            model_config:
              model: {provider: openai, name: fake-chat, mode: chat, completion_params: {temperature: 0}}
              pre_prompt: You are brief.
              prompt_type: simple
              opening_statement: Hello there
              suggested_questions: ['What is weft?']
              user_input_form: []
            """;
    private static final String COMPLETION_APP = """
            app: {mode: completion, name: Writer}
            kind: app
            version: 0.1.5
            model_config:
              model: {provider: openai, name: fake-chat, mode: chat, completion_params: {temperature: 0}}
              pre_prompt: Write one line about {{topic}}.
              prompt_type: simple
              user_input_form:
              - text-input: {label: Topic, variable: topic, required: true, max_length: 40, default: ''}
            """;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    DataSource dataSource;

    private int port;
    private Http owner;
    private FakeOpenAiServer fake;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void setUp() throws Exception {
        fake = new FakeOpenAiServer();
        Configs.allowEgressTo(configurations, fake.port());
        // these tests refuse many bad keys on purpose, all from 127.0.0.1: SecurityEdgesIT tests the throttle
        Configs.set(configurations, "dev.weft.security",
                Map.of("throttle.client.failures", 100_000, "throttle.target.failures", 100_000));
        port = Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
        owner = new Http(port);
        Await.until("the console", Duration.ofSeconds(30), () -> {
            Http.Answer apps = owner.tryGet("/console/api/apps");
            return apps != null && apps.status() == 200;
        });
        Await.until("credentials accepted", Duration.ofSeconds(20), () -> owner.post(
                "/console/api/workspaces/current/model-providers/openai/credentials", "application/json",
                json(Map.of("credentials", Map.of("api_key", "sk-itest-service", "base_url", fake.baseUrl()))))
                .status() == 200);
    }

    @After
    public void tearDown() throws IOException {
        fake.close();
    }

    @Test
    public void a_published_chat_app_answers_with_memory_and_keeps_each_end_users_conversations() throws Exception {
        String app = importApp(owner, CHAT_APP);
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();
        assertThat(key).matches("app-[A-Za-z0-9]{24}");

        // not published yet: Dify's app_unavailable
        Http.Answer unpublished = v1("POST", "/v1/chat-messages", key, "{\"query\": \"hi\", \"inputs\": {}, \"user\": \"alice\"}");
        assertThat(unpublished.status()).isEqualTo(400);
        assertThat(unpublished.json().path("code").asText()).isEqualTo("app_unavailable");

        assertThat(owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}").json().path("version").asInt())
                .isEqualTo(1);
        JsonNode parameters = v1("GET", "/v1/parameters", key, null).json();
        assertThat(parameters.path("opening_statement").asText()).isEqualTo("Hello there");
        assertThat(parameters.path("suggested_questions").get(0).asText()).isEqualTo("What is weft?");
        assertThat(v1("GET", "/v1/info", key, null).json().path("mode").asText()).isEqualTo("chat");

        JsonNode first = v1("POST", "/v1/chat-messages", key,
                "{\"query\": \"What is weft?\", \"inputs\": {}, \"user\": \"alice\", \"response_mode\": \"blocking\", \"files\": null}")
                .json();
        assertThat(first.path("event").asText()).isEqualTo("message");
        assertThat(first.path("answer").asText()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(first.path("mode").asText()).isEqualTo("chat");
        String conversation = first.path("conversation_id").asText();
        String message = first.path("message_id").asText();
        assertThat(conversation).isNotBlank();

        // the next turn, streamed: the model gets the first turn as history, the stream carries messages only
        Http.Answer streamed = v1("POST", "/v1/chat-messages", key, "{\"query\": \"And then?\", \"inputs\": {}, \"user\": \"alice\","
                + " \"response_mode\": \"streaming\", \"conversation_id\": \"" + conversation + "\"}");
        assertThat(streamed.contentType()).startsWith("text/event-stream");
        List<JsonNode> events = events(streamed.body());
        StringBuilder answer = new StringBuilder();
        for (JsonNode event : events) {
            if (event.path("event").asText().equals("message")) {
                answer.append(event.path("answer").asText());
                assertThat(event.path("conversation_id").asText()).isEqualTo(conversation);
            }
        }
        assertThat(answer.toString()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(events.get(events.size() - 1).path("event").asText()).isEqualTo("message_end");
        assertThat(events).noneMatch(e -> e.path("event").asText().startsWith("workflow_"));
        JsonNode sent = fake.requests().get(fake.requests().size() - 1).json().path("messages");
        assertThat(sent).extracting(m -> m.path("role").asText() + ":" + m.path("content").asText()).containsExactly(
                "system:You are brief.", "user:What is weft?", "assistant:" + FakeOpenAiServer.DEFAULT_ANSWER,
                "user:And then?");

        // bob cannot read, continue, rename or delete alice's conversation: 404, as for an unknown id
        Http.Answer random = v1("GET", "/v1/messages?user=bob&conversation_id=" + UUID.randomUUID(), key, null);
        Http.Answer alices = v1("GET", "/v1/messages?user=bob&conversation_id=" + conversation, key, null);
        assertThat(alices.status()).isEqualTo(404);
        assertThat(alices.body()).isEqualTo(random.body());
        assertThat(v1("POST", "/v1/chat-messages", key, "{\"query\": \"x\", \"inputs\": {}, \"user\": \"bob\","
                + " \"conversation_id\": \"" + conversation + "\"}").status()).isEqualTo(404);
        assertThat(v1("DELETE", "/v1/conversations/" + conversation, key, "{\"user\": \"bob\"}").status()).isEqualTo(404);
        assertThat(v1("GET", "/v1/conversations?user=bob", key, null).json().path("data")).isEmpty();

        JsonNode list = v1("GET", "/v1/conversations?user=alice&limit=20", key, null).json();
        assertThat(list.path("data")).singleElement().satisfies(c -> assertThat(c.path("id").asText()).isEqualTo(conversation));
        JsonNode messages = v1("GET", "/v1/messages?user=alice&conversation_id=" + conversation, key, null).json().path("data");
        assertThat(messages).extracting(m -> m.path("query").asText()).containsExactly("What is weft?", "And then?");

        assertThat(v1("POST", "/v1/messages/" + message + "/feedbacks", key, "{\"rating\": \"like\", \"user\": \"alice\"}")
                .json().path("result").asText()).isEqualTo("success");
        assertThat(v1("POST", "/v1/messages/" + message + "/feedbacks", key, "{\"rating\": \"like\", \"user\": \"bob\"}")
                .status()).isEqualTo(404);
        assertThat(v1("GET", "/v1/messages?user=alice&conversation_id=" + conversation, key, null).json().path("data").get(0)
                .path("feedback").path("rating").asText()).isEqualTo("like");
        assertThat(v1("GET", "/v1/app/feedbacks", key, null).json().path("data")).hasSize(1);

        Http.Answer off = v1("GET", "/v1/messages/" + message + "/suggested?user=alice", key, null);
        assertThat(off.status()).isEqualTo(400);
        assertThat(off.json().path("message").asText()).isEqualTo("Suggested Questions Is Disabled.");

        assertThat(v1("POST", "/v1/conversations/" + conversation + "/name", key, "{\"name\": \"Weaving\", \"user\": \"alice\"}")
                .json().path("name").asText()).isEqualTo("Weaving");
        assertThat(v1("DELETE", "/v1/conversations/" + conversation, key, "{\"user\": \"alice\"}").status()).isEqualTo(204);
        assertThat(v1("GET", "/v1/conversations?user=alice", key, null).json().path("data")).isEmpty();

        // a chat key is not a completion or workflow key
        assertThat(v1("POST", "/v1/workflows/run", key, "{\"inputs\": {}, \"user\": \"alice\"}").json().path("code").asText())
                .isEqualTo("not_workflow_app");
    }

    @Test
    public void a_chatflows_conversation_variables_are_listed_and_set_by_their_end_user() throws Exception {
        String app = importApp(owner, AppsApiIT.CHATFLOW);
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();
        JsonNode first = v1("POST", "/v1/chat-messages", key,
                "{\"query\": \"one\", \"inputs\": {}, \"user\": \"alice\", \"response_mode\": \"blocking\"}").json();
        assertThat(first.path("answer").asText()).as(first.toString()).endsWith("turn 1: one");
        String conversation = first.path("conversation_id").asText();
        String variables = "/v1/conversations/" + conversation + "/variables";

        JsonNode listed = v1("GET", variables + "?user=alice", key, null).json();
        assertThat(listed.path("data")).extracting(v -> v.path("id").asText() + "=" + v.path("value") + ":"
                + v.path("value_type").asText()).containsExactly("v-count=1:number", "v-last=\"one\":string");
        assertThat(listed.path("data").get(0).path("description").asText()).isEqualTo("turns so far");
        JsonNode firstPage = v1("GET", variables + "?user=alice&limit=1", key, null).json();
        assertThat(firstPage.path("has_more").asBoolean()).isTrue();
        assertThat(v1("GET", variables + "?user=alice&limit=1&last_id=v-count", key, null).json().path("data"))
                .singleElement().satisfies(v -> assertThat(v.path("name").asText()).isEqualTo("last"));
        assertThat(v1("GET", variables + "?user=alice&variable_name=last", key, null).json().path("data")).hasSize(1);

        // set by id (or by name), in the declared type only, by the conversation's own user only
        JsonNode set = v1("PUT", variables + "/v-count", key, "{\"value\": 10, \"user\": \"alice\"}").json();
        assertThat(set.path("value").asInt()).as(set.toString()).isEqualTo(10);
        assertThat(set.path("name").asText()).isEqualTo("count");
        Http.Answer wrongType = v1("PUT", variables + "/v-count", key, "{\"value\": \"ten\", \"user\": \"alice\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("code").asText()).isEqualTo("invalid_param");
        assertThat(wrongType.json().path("message").asText()).contains("number");
        assertThat(v1("PUT", variables + "/v-nothing", key, "{\"value\": 1, \"user\": \"alice\"}").status()).isEqualTo(404);
        Http.Answer bobs = v1("PUT", variables + "/v-count", key, "{\"value\": 99, \"user\": \"bob\"}");
        Http.Answer unknown = v1("PUT", "/v1/conversations/" + UUID.randomUUID() + "/variables/v-count", key,
                "{\"value\": 99, \"user\": \"bob\"}");
        assertThat(bobs.status()).isEqualTo(404);
        assertThat(bobs.body()).isEqualTo(unknown.body());
        assertThat(v1("PUT", variables + "/last", key, "{\"value\": \"set by hand\", \"user\": \"alice\"}").status())
                .isEqualTo(200);

        // the next turn starts from the values set
        JsonNode second = v1("POST", "/v1/chat-messages", key, "{\"query\": \"two\", \"inputs\": {}, \"user\": \"alice\","
                + " \"response_mode\": \"blocking\", \"conversation_id\": \"" + conversation + "\"}").json();
        assertThat(second.path("answer").asText()).as(second.toString()).isEqualTo("previous: set by hand; turn 11: two");
        assertThat(v1("GET", variables + "?user=alice&variable_name=count", key, null).json().path("data").get(0)
                .path("value").asInt()).isEqualTo(11);
    }

    @Test
    public void a_client_that_lost_a_runs_stream_comes_back_to_it() throws Exception {
        String app = importApp(owner, """
                app: {mode: workflow, name: Slow writer}
                kind: app
                version: 0.1.5
                workflow:
                  graph:
                    nodes:
                    - {id: start, data: {type: start, title: Start, variables: []}}
                    - id: llm
                      data:
                        type: llm
                        title: Write
                        model: {provider: openai, name: fake-chat, mode: chat, completion_params: {}}
                        prompt_template: [{role: user, text: Write.}]
                    - {id: end, data: {type: end, title: End, outputs: [{variable: text, value_selector: [llm, text]}]}}
                    edges:
                    - {id: e1, source: start, target: llm}
                    - {id: e2, source: llm, target: end}
                """);
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();
        fake.latency(Duration.ofMillis(1500));
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest start = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/v1/workflows/run"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"inputs\": {}, \"user\": \"rita\", \"response_mode\": \"streaming\"}")).build();
        String runId;
        // the first stream is dropped after its first event
        try (java.util.stream.Stream<String> lines = client.send(start, java.net.http.HttpResponse.BodyHandlers.ofLines()).body()) {
            String first = lines.filter(line -> line.startsWith("data: ")).findFirst().orElseThrow();
            JsonNode started = JSON.readTree(first.substring(6));
            assertThat(started.path("event").asText()).isEqualTo("workflow_started");
            runId = started.path("workflow_run_id").asText();
        }
        String events = "/v1/workflow/" + runId + "/events";
        assertThat(v1("GET", events + "?user=someone-else", key, null).status()).isEqualTo(404);
        assertThat(v1("GET", events, key, null).status()).isEqualTo(400);

        // back while it runs: what was recorded, then what comes, up to its end
        List<JsonNode> resumed = events(v1("GET", events + "?user=rita&include_state_snapshot=true", key, null).body());
        List<String> names = resumed.stream().map(e -> e.path("event").asText()
                + (e.path("data").has("node_id") ? ":" + e.path("data").path("node_id").asText() : "")).toList();
        assertThat(names).as(names.toString()).startsWith("workflow_started", "node_started:start", "node_finished:start",
                "node_started:llm");
        assertThat(names).containsSubsequence("node_finished:llm", "node_started:end", "node_finished:end", "workflow_finished");
        assertThat(names).doesNotHaveDuplicates();
        JsonNode finished = resumed.get(resumed.size() - 1);
        assertThat(finished.path("data").path("status").asText()).isEqualTo("succeeded");
        assertThat(finished.path("data").path("outputs").path("text").asText()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);

        // once it has ended: its end alone
        List<JsonNode> after = events(v1("GET", events + "?user=rita&include_state_snapshot=true", key, null).body());
        assertThat(after).singleElement().satisfies(e -> {
            assertThat(e.path("event").asText()).isEqualTo("workflow_finished");
            assertThat(e.path("workflow_run_id").asText()).isEqualTo(runId);
            assertThat(e.path("data").path("outputs").path("text").asText()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        });
        fake.latency(Duration.ZERO);

        // the run log finds it by a word of its outputs, by its user, and by when it started
        String word = FakeOpenAiServer.DEFAULT_ANSWER.split(" ")[0].toUpperCase(java.util.Locale.ROOT);
        JsonNode byWord = v1("GET", "/v1/workflows/logs?keyword=" + word, key, null).json();
        assertThat(byWord.path("data")).singleElement()
                .satisfies(item -> assertThat(item.path("workflow_run").path("id").asText()).isEqualTo(runId));
        assertThat(v1("GET", "/v1/workflows/logs?keyword=no-such-words", key, null).json().path("data")).isEmpty();
        assertThat(v1("GET", "/v1/workflows/logs?created_by_end_user_session_id=rita&created_at__after="
                + java.time.Instant.now().minusSeconds(600), key, null).json().path("total").asInt()).isEqualTo(1);
        assertThat(v1("GET", "/v1/workflows/logs?created_at__before=2000-01-01T00:00:00Z", key, null).json().path("data"))
                .isEmpty();
        Http.Answer badTime = v1("GET", "/v1/workflows/logs?created_at__after=yesterday", key, null);
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().path("code").asText()).isEqualTo("invalid_param");
        assertThat(v1("GET", "/v1/workflows/logs?created_at__after=2000-01-01&created_at__before=2999-12-31T00:00:00", key, null)
                .json().path("total").asInt()).isEqualTo(1);
        assertThat(v1("GET", "/v1/workflows/logs?created_at__after=99999999999999999", key, null).status()).isEqualTo(400);
    }

    @Test
    public void suggested_questions_come_from_the_apps_model_after_an_answer() throws Exception {
        String app = importApp(owner, CHAT_APP.replace("user_input_form: []",
                "user_input_form: []\n  suggested_questions_after_answer: {enabled: true}"));
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();
        String message = v1("POST", "/v1/chat-messages", key, "{\"query\": \"Tell me about looms\", \"inputs\": {},"
                + " \"user\": \"fay\"}").json().path("message_id").asText();
        fake.answer("Here you go: [\"How old are looms?\", \"Who invented the loom?\", \"What is a warp?\"]");
        try {
            JsonNode suggested = v1("GET", "/v1/messages/" + message + "/suggested?user=fay", key, null).json();
            assertThat(suggested.path("result").asText()).isEqualTo("success");
            assertThat(suggested.path("data")).extracting(JsonNode::asText)
                    .containsExactly("How old are looms?", "Who invented the loom?", "What is a warp?");
            assertThat(fake.requests().get(fake.requests().size() - 1).body()).contains("Tell me about looms");
            assertThat(v1("GET", "/v1/messages/" + message + "/suggested?user=someone-else", key, null).status())
                    .isEqualTo(404);
        } finally {
            fake.answer(FakeOpenAiServer.DEFAULT_ANSWER);
        }
    }

    @Test
    public void the_knowledge_api_takes_dataset_keys_only_and_serves_the_keys_workspace() throws Exception {
        JsonNode created = owner.post("/console/api/datasets/api-keys", "application/json", "").json();
        String key = created.path("token").asText();
        assertThat(key).matches("dataset-[A-Za-z0-9]{24}");
        assertThat(owner.get("/console/api/datasets/api-keys").body()).doesNotContain(key);

        Http.Answer made = v1("POST", "/v1/datasets", key, "{\"name\": \"Handbook " + UUID.randomUUID()
                + "\", \"indexing_technique\": \"economy\"}");
        assertThat(made.status()).as(made.body()).isIn(200, 201);
        String dataset = made.json().path("id").asText();
        JsonNode document = v1("POST", "/v1/datasets/" + dataset + "/document/create-by-text", key,
                "{\"name\": \"looms.txt\", \"text\": \"A loom weaves warp and weft threads into cloth.\"}").json();
        String documentId = document.path("document").path("id").asText();
        assertThat(documentId).isNotBlank();
        String batch = document.path("batch").asText();
        Await.until("the document indexed", Duration.ofSeconds(60), () -> v1("GET", "/v1/datasets/" + dataset + "/documents/"
                + batch + "/indexing-status", key, null).json().path("data").path(0).path("indexing_status").asText()
                .equals("completed"));
        JsonNode records = v1("POST", "/v1/datasets/" + dataset + "/retrieve", key, "{\"query\": \"warp threads\","
                + " \"retrieval_model\": {\"search_method\": \"full_text_search\", \"top_k\": 3}}").json().path("records");
        assertThat(records).isNotEmpty();
        assertThat(records.get(0).path("segment").path("content").asText()).contains("warp and weft");
        assertThat(v1("GET", "/v1/datasets/" + dataset + "/documents/" + documentId + "/segments", key, null).json()
                .path("data")).isNotEmpty();
        assertThat(v1("GET", "/v1/datasets", key, null).body()).contains(dataset);

        // an app key does not open the knowledge API, nor a dataset key the app API
        String app = importApp(owner, CHAT_APP);
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String appKey = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();
        assertThat(v1("GET", "/v1/datasets", appKey, null).status()).isEqualTo(401);
        assertThat(v1("GET", "/v1/info", key, null).status()).isEqualTo(401);
        // an unknown dataset answers Dify's 404
        Http.Answer missing = v1("GET", "/v1/datasets/" + UUID.randomUUID(), key, null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().has("code")).isTrue();

        String keyId = created.path("id").asText();
        assertThat(owner.delete("/console/api/datasets/api-keys/" + keyId).status()).isEqualTo(204);
        assertThat(v1("GET", "/v1/datasets", key, null).status()).isEqualTo(401);
    }

    @Test
    public void an_uploaded_file_is_read_by_a_workflows_document_extractor_in_its_own_workspace() throws Exception {
        String app = importApp(owner, """
                app: {mode: workflow, name: Reader}
                kind: app
                version: 0.1.5
                workflow:
                  graph:
                    nodes:
                    - {id: start, data: {type: start, title: Start, variables: [{variable: doc, label: Doc, type: file, required: true}]}}
                    - {id: ex, data: {type: document-extractor, title: Extract, variable_selector: [start, doc], is_array_file: false}}
                    - {id: end, data: {type: end, title: End, outputs: [{variable: text, value_selector: [ex, text]}]}}
                    edges:
                    - {id: e1, source: start, target: ex}
                    - {id: e2, source: ex, target: end}
                """);
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();
        String boundary = "----weft-" + UUID.randomUUID();
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\ngus\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nWarp runs lengthwise; weft runs across.\r\n--" + boundary + "--\r\n";
        Http.Answer uploaded = Http.anonymous(port).send("POST", "/v1/files/upload", multipart, "Authorization",
                "Bearer " + key, "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        String fileId = uploaded.json().path("id").asText();
        assertThat(uploaded.json().path("extension").asText()).isEqualTo("txt");
        // its uploader is the app's end user "gus"
        JsonNode uploader = v1("GET", "/v1/end-users/" + uploaded.json().path("created_by").asText(), key, null).json();
        assertThat(uploader.path("session_id").asText()).as(uploader.toString()).isEqualTo("gus");
        assertThat(uploader.path("external_user_id").asText()).isEqualTo("gus");
        assertThat(uploader.path("type").asText()).isEqualTo("service_api");
        assertThat(uploader.path("app_id").asText()).isEqualTo(app);
        assertThat(uploader.path("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        Http.Answer noUser = v1("GET", "/v1/end-users/" + UUID.randomUUID(), key, null);
        assertThat(noUser.status()).isEqualTo(404);
        assertThat(noUser.json().path("code").asText()).isEqualTo("end_user_not_found");

        JsonNode run = v1("POST", "/v1/workflows/run", key, "{\"inputs\": {\"doc\": {\"type\": \"document\","
                + " \"transfer_method\": \"local_file\", \"upload_file_id\": \"" + fileId + "\"}}, \"user\": \"gus\"}").json();
        assertThat(run.path("data").path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.path("data").path("outputs").path("text").asText()).contains("Warp runs lengthwise");

        // a chat keeps the files sent with a message, and lists them with it
        String chat = importApp(owner, CHAT_APP);
        owner.post("/console/api/apps/" + chat + "/publish", "application/json", "{}");
        String chatKey = owner.post("/console/api/apps/" + chat + "/api-keys", "application/json", "").json().path("token").asText();
        Http.Answer chatUpload = Http.anonymous(port).send("POST", "/v1/files/upload", multipart, "Authorization",
                "Bearer " + chatKey, "Content-Type", "multipart/form-data; boundary=" + boundary);
        String chatFile = chatUpload.json().path("id").asText();
        JsonNode answered = v1("POST", "/v1/chat-messages", chatKey, "{\"query\": \"Read this\", \"inputs\": {}, \"user\": \"gus\","
                + " \"files\": [{\"type\": \"document\", \"transfer_method\": \"local_file\", \"upload_file_id\": \""
                + chatFile + "\"}]}").json();
        JsonNode listed = v1("GET", "/v1/messages?user=gus&conversation_id=" + answered.path("conversation_id").asText(),
                chatKey, null).json().path("data").get(0).path("message_files");
        assertThat(listed).singleElement().satisfies(f -> {
            assertThat(f.path("id").asText()).isEqualTo(chatFile);
            assertThat(f.path("belongs_to").asText()).isEqualTo("user");
            assertThat(f.path("url").asText()).isEqualTo("/v1/files/" + chatFile + "/preview");
        });
        assertThat(Http.anonymous(port).send("GET", "/v1/files/" + chatFile + "/preview", null, "Authorization",
                "Bearer " + chatKey).body()).contains("Warp runs lengthwise");
        assertThat(v1("GET", "/v1/end-users/" + uploaded.json().path("created_by").asText(), chatKey, null).status())
                .isEqualTo(404);
        // another app's key does not open the file
        assertThat(Http.anonymous(port).send("GET", "/v1/files/" + chatFile + "/preview", null, "Authorization",
                "Bearer " + key).status()).isEqualTo(404);

        // an upload id that is not this workspace's is refused before any run
        Http.Answer unknown = v1("POST", "/v1/workflows/run", key, "{\"inputs\": {\"doc\": {\"type\": \"document\","
                + " \"transfer_method\": \"local_file\", \"upload_file_id\": \"" + UUID.randomUUID() + "\"}}, \"user\": \"gus\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("code").asText()).isEqualTo("file_not_found");
        // an executable is not taken
        String exe = multipart.replace("notes.txt", "tool.exe");
        assertThat(Http.anonymous(port).send("POST", "/v1/files/upload", exe, "Authorization", "Bearer " + key,
                "Content-Type", "multipart/form-data; boundary=" + boundary).status()).isEqualTo(415);
    }

    @Test
    public void a_chatflow_answer_cites_the_knowledge_it_was_given_when_the_app_shows_citations() throws Exception {
        JsonNode base = owner.post("/console/api/datasets", "application/json", "{\"name\": \"Handbook " + UUID.randomUUID()
                + "\", \"indexing_technique\": \"economy\"}").json();
        String dataset = base.path("id").asText();
        JsonNode added = owner.post("/console/api/datasets/" + dataset + "/document/create-by-text", "application/json",
                "{\"name\": \"loom.txt\", \"text\": \"The weft is the thread that runs across the loom.\"}").json();
        String document = added.path("document").path("id").asText();
        Await.until("indexed", Duration.ofSeconds(60), () -> owner.get("/console/api/datasets/" + dataset + "/documents/"
                + document + "/indexing-status").json().path("indexing_status").asText().equals("indexed"));
        String chatflow = """
                app: {mode: advanced-chat, name: %s}
                kind: app
                version: 0.1.5
                workflow:
                  features: {retriever_resource: {enabled: %s}}
                  graph:
                    nodes:
                    - {id: start, data: {type: start, title: Start, variables: []}}
                    - id: kr
                      data:
                        type: knowledge-retrieval
                        title: Search
                        query_variable_selector: [sys, query]
                        dataset_ids: [%s]
                        retrieval_mode: multiple
                        multiple_retrieval_config: {top_k: 3, reranking_enable: false}
                    - id: llm
                      data:
                        type: llm
                        title: Answer from the handbook
                        model: {provider: openai, name: fake-chat, mode: chat, completion_params: {}}
                        prompt_template: [{role: system, text: 'Answer from this: {{#context#}}'}]
                        context: {enabled: true, variable_selector: [kr, result]}
                    - {id: answer, data: {type: answer, title: Answer, answer: '{{#llm.text#}}'}}
                    edges:
                    - {id: e1, source: start, target: kr}
                    - {id: e2, source: kr, target: llm}
                    - {id: e3, source: llm, target: answer}
                """;
        String app = importApp(owner, chatflow.formatted("Cited", true, dataset));
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();

        JsonNode blocking = v1("POST", "/v1/chat-messages", key, "{\"query\": \"What is the weft?\", \"inputs\": {},"
                + " \"user\": \"ivy\", \"response_mode\": \"blocking\"}").json();
        JsonNode cited = blocking.path("metadata").path("retriever_resources");
        assertThat(cited).as(blocking.toString()).singleElement().satisfies(resource -> {
            assertThat(resource.path("dataset_id").asText()).isEqualTo(dataset);
            assertThat(resource.path("document_id").asText()).isEqualTo(document);
            assertThat(resource.path("document_name").asText()).isEqualTo("loom.txt");
            assertThat(resource.path("content").asText()).contains("runs across the loom");
            assertThat(resource.path("position").asInt()).isEqualTo(1);
            assertThat(resource.path("segment_id").asText()).isNotBlank();
        });
        assertThat(fake.requests().get(fake.requests().size() - 1).body()).contains("runs across the loom");

        List<JsonNode> streamed = events(v1("POST", "/v1/chat-messages", key, "{\"query\": \"And the warp?\", \"inputs\": {},"
                + " \"user\": \"ivy\", \"response_mode\": \"streaming\", \"conversation_id\": \""
                + blocking.path("conversation_id").asText() + "\"}").body());
        JsonNode end = streamed.stream().filter(e -> e.path("event").asText().equals("message_end")).findFirst().orElseThrow();
        assertThat(end.path("metadata").path("retriever_resources")).hasSize(1);

        // the console's debugger shows them too
        List<JsonNode> debugged = events(owner.post("/console/api/apps/" + app + "/advanced-chat/workflows/draft/run",
                "application/json", "{\"query\": \"What is the weft?\"}").body());
        assertThat(debugged.stream().filter(e -> e.path("event").asText().equals("message_end")).findFirst().orElseThrow()
                .path("metadata").path("retriever_resources")).hasSize(1);

        // kept with the messages
        JsonNode messages = v1("GET", "/v1/messages?user=ivy&conversation_id=" + blocking.path("conversation_id").asText(),
                key, null).json().path("data");
        assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(m.path("retriever_resources")).hasSize(1));
        assertThat(messages.get(0).path("retriever_resources").get(0).path("document_name").asText()).isEqualTo("loom.txt");

        // an app that does not show citations shows none
        String quiet = importApp(owner, chatflow.formatted("Uncited", false, dataset));
        owner.post("/console/api/apps/" + quiet + "/publish", "application/json", "{}");
        String quietKey = owner.post("/console/api/apps/" + quiet + "/api-keys", "application/json", "").json().path("token").asText();
        JsonNode uncited = v1("POST", "/v1/chat-messages", quietKey, "{\"query\": \"What is the weft?\", \"inputs\": {},"
                + " \"user\": \"ivy\", \"response_mode\": \"blocking\"}").json();
        assertThat(uncited.path("answer").asText()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(uncited.path("metadata").path("retriever_resources")).isEmpty();
        // a chatbot of the simple kind with the base as its context: searched with the query, cited
        String chatbot = importApp(owner, """
                app: {mode: chat, name: Handbook bot}
                kind: app
                version: 0.1.5
                model_config:
                  model: {provider: openai, name: fake-chat, mode: chat, completion_params: {}}
                  pre_prompt: You answer questions about weaving.
                  prompt_type: simple
                  retriever_resource: {enabled: true}
                  dataset_configs:
                    retrieval_model: multiple
                    top_k: 2
                    reranking_enable: false
                    datasets:
                      datasets:
                      - dataset: {enabled: true, id: %s}
                """.formatted(dataset));
        owner.post("/console/api/apps/" + chatbot + "/publish", "application/json", "{}");
        String botKey = owner.post("/console/api/apps/" + chatbot + "/api-keys", "application/json", "").json().path("token").asText();
        JsonNode answered = v1("POST", "/v1/chat-messages", botKey, "{\"query\": \"What does the weft do?\", \"inputs\": {},"
                + " \"user\": \"ivy\", \"response_mode\": \"blocking\"}").json();
        assertThat(answered.path("answer").asText()).as(answered.toString()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(answered.path("metadata").path("retriever_resources")).singleElement()
                .satisfies(resource -> assertThat(resource.path("document_name").asText()).isEqualTo("loom.txt"));
        String prompt = fake.requests().get(fake.requests().size() - 1).json().path("messages").get(0).path("content").asText();
        assertThat(prompt).contains("runs across the loom").contains("You answer questions about weaving.");
    }

    @Test
    public void automatic_metadata_filtering_has_the_model_write_conditions_on_the_bases_fields() throws Exception {
        JsonNode base = owner.post("/console/api/datasets", "application/json", "{\"name\": \"Papers " + UUID.randomUUID()
                + "\", \"indexing_technique\": \"economy\", \"metadata_fields\": {\"author\": \"string\"}}").json();
        String dataset = base.path("id").asText();
        for (String author : List.of("Ada", "Bob")) {
            JsonNode added = owner.post("/console/api/datasets/" + dataset + "/document/create-by-text", "application/json",
                    "{\"name\": \"" + author + ".txt\", \"text\": \"Looms and weaving, written by " + author
                    + ".\", \"metadata\": {\"author\": \"" + author + "\"}}").json();
            String document = added.path("document").path("id").asText();
            Await.until(author + " indexed", Duration.ofSeconds(60), () -> owner.get("/console/api/datasets/" + dataset
                    + "/documents/" + document + "/indexing-status").json().path("indexing_status").asText().equals("indexed"));
        }
        String app = importApp(owner, """
                app: {mode: workflow, name: Finder}
                kind: app
                version: 0.1.5
                workflow:
                  graph:
                    nodes:
                    - {id: start, data: {type: start, title: Start, variables: [{variable: q, label: Q, type: text-input, required: true}]}}
                    - id: kr
                      data:
                        type: knowledge-retrieval
                        title: Search
                        query_variable_selector: [start, q]
                        dataset_ids: [%s]
                        retrieval_mode: multiple
                        multiple_retrieval_config: {top_k: 5, reranking_enable: false}
                        metadata_filtering_mode: automatic
                        metadata_model_config: {provider: openai, name: fake-chat, mode: chat, completion_params: {}}
                    - {id: end, data: {type: end, title: End, outputs: [{variable: result, value_selector: [kr, result]}]}}
                    edges:
                    - {id: e1, source: start, target: kr}
                    - {id: e2, source: kr, target: end}
                """.formatted(dataset));
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();
        fake.answer("[{\"name\": \"author\", \"comparison_operator\": \"is\", \"value\": \"Ada\"}]");
        try {
            JsonNode run = v1("POST", "/v1/workflows/run", key, "{\"inputs\": {\"q\": \"weaving by Ada\"}, \"user\": \"hal\"}")
                    .json();
            assertThat(run.path("data").path("status").asText()).as(run.toString()).isEqualTo("succeeded");
            JsonNode result = run.path("data").path("outputs").path("result");
            assertThat(result).isNotEmpty();
            assertThat(result.toString()).contains("written by Ada").doesNotContain("written by Bob");
            assertThat(fake.requests().get(fake.requests().size() - 1).body()).contains("author (string)")
                    .contains("weaving by Ada");
        } finally {
            fake.answer(FakeOpenAiServer.DEFAULT_ANSWER);
        }
    }

    @Test
    public void completion_apps_check_their_inputs_and_answer_blocking_or_streamed() throws Exception {
        String app = importApp(owner, COMPLETION_APP);
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();

        Http.Answer missing = v1("POST", "/v1/completion-messages", key, "{\"inputs\": {}, \"user\": \"carol\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("code").asText()).isEqualTo("invalid_param");
        assertThat(missing.json().path("message").asText()).contains("topic");

        JsonNode blocking = v1("POST", "/v1/completion-messages", key,
                "{\"inputs\": {\"topic\": \"looms\"}, \"user\": \"carol\", \"response_mode\": \"blocking\"}").json();
        assertThat(blocking.path("answer").asText()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(blocking.path("message_id").asText()).isNotBlank();
        assertThat(fake.requests().get(fake.requests().size() - 1).body()).contains("Write one line about looms.");

        List<JsonNode> events = events(v1("POST", "/v1/completion-messages", key,
                "{\"inputs\": {\"topic\": \"looms\"}, \"user\": \"carol\", \"response_mode\": \"streaming\"}").body());
        StringBuilder answer = new StringBuilder();
        events.stream().filter(e -> e.path("event").asText().equals("message"))
                .forEach(e -> answer.append(e.path("answer").asText()));
        assertThat(answer.toString()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(events.get(events.size() - 1).path("event").asText()).isEqualTo("message_end");

        // the message can be rated like a chat's
        String message = blocking.path("message_id").asText();
        assertThat(v1("POST", "/v1/messages/" + message + "/feedbacks", key, "{\"rating\": \"dislike\", \"user\": \"carol\"}")
                .status()).isEqualTo(200);
    }

    @Test
    public void keys_are_shown_once_stored_hashed_refused_alike_and_taken_only_from_the_header() throws Exception {
        String app = importApp(owner, CHAT_APP);
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        JsonNode created = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json();
        String key = created.path("token").asText();
        String keyId = created.path("id").asText();
        assertThat(v1("GET", "/v1/info", key, null).status()).isEqualTo(200);

        // listed by hint only, and the store holds no key
        JsonNode listed = owner.get("/console/api/apps/" + app + "/api-keys").json().path("data");
        assertThat(listed.toString()).doesNotContain(key).contains(key.substring(key.length() - 4));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM api_key")) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    assertThat(String.valueOf(rows.getObject(i))).doesNotContain(key.substring(4));
                }
            }
        }

        // every way of not having a valid key answers the same 401
        Http anonymous = Http.anonymous(port);
        Http.Answer none = anonymous.get("/v1/info");
        assertThat(none.status()).isEqualTo(401);
        List<Http.Answer> refused = new ArrayList<>();
        for (String header : List.of("Bearer ", "Bearer null", "Bearer undefined", "Bearer app-" + "x".repeat(24))) {
            refused.add(anonymous.send("GET", "/v1/info", null, "Authorization", header));
        }
        refused.add(anonymous.get("/v1/info?api_key=" + key));
        assertThat(owner.delete("/console/api/apps/" + app + "/api-keys/" + keyId).status()).isEqualTo(204);
        refused.add(v1("GET", "/v1/info", key, null));
        for (Http.Answer answer : refused) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.body()).isEqualTo(none.body());
        }
        // an app key opens nothing of the console
        assertThat(anonymous.send("GET", "/console/api/apps", null, "Authorization", "Bearer " + key).status()).isEqualTo(401);
    }

    @Test
    public void a_member_changes_their_password_and_their_other_sessions_end() throws Exception {
        String token = owner.post("/console/api/workspaces/current/members/invite-email", "application/json",
                "{\"emails\": [\"changer@weft.test\"], \"role\": \"normal\"}").json().path("invitation_results").get(0)
                .path("token").asText();
        assertThat(Http.anonymous(port).post("/console/api/auth/invitations/accept", "application/json",
                "{\"token\": \"" + token + "\", \"name\": \"Cy\", \"password\": \"first-pass-1234\"}").status()).isEqualTo(200);
        Http here = Http.as(port, "changer@weft.test", "first-pass-1234");
        Http elsewhere = Http.as(port, "changer@weft.test", "first-pass-1234");
        assertThat(elsewhere.get("/console/api/auth/me").status()).isEqualTo(200);

        Http.Answer wrong = here.post("/console/api/auth/password", "application/json",
                "{\"password\": \"not-it-1234\", \"new_password\": \"second-pass-1234\", \"repeat_new_password\": \"second-pass-1234\"}");
        assertThat(wrong.status()).isIn(400, 422);
        assertThat(wrong.body()).contains("/password").doesNotContain("not-it-1234");
        assertThat(here.post("/console/api/auth/password", "application/json",
                "{\"password\": \"first-pass-1234\", \"new_password\": \"second-pass-1234\", \"repeat_new_password\": \"other\"}")
                .status()).isIn(400, 422);
        assertThat(here.post("/console/api/auth/password", "application/json",
                "{\"password\": \"first-pass-1234\", \"new_password\": \"second-pass-1234\", \"repeat_new_password\": \"second-pass-1234\"}")
                .status()).isEqualTo(200);

        assertThat(here.get("/console/api/auth/me").status()).as("the session that changed it stays").isEqualTo(200);
        assertThat(elsewhere.get("/console/api/auth/me").status()).as("the others end").isEqualTo(401);
        assertThat(Http.anonymous(port).post("/console/api/auth/login", "application/json",
                "{\"email\": \"changer@weft.test\", \"password\": \"first-pass-1234\"}").status()).isEqualTo(401);
        Http again = Http.as(port, "changer@weft.test", "second-pass-1234");
        assertThat(again.get("/console/api/auth/me").status()).isEqualTo(200);
        // a member of the least role signs out too
        assertThat(again.post("/console/api/auth/logout", "application/json", "").status()).isEqualTo(200);
        assertThat(again.get("/console/api/auth/me").status()).isEqualTo(401);
    }

    @Test
    public void members_see_only_their_workspaces_and_act_only_within_their_role() throws Exception {
        // the owner makes a second workspace with an app, a key and a conversation in it
        String second = owner.post("/console/api/workspaces", "application/json", "{\"name\": \"Victim B\"}").json()
                .path("id").asText();
        String firstWorkspace = owner.get("/console/api/workspaces/current").json().path("id").asText();
        assertThat(owner.post("/console/api/workspaces/switch", "application/json", "{\"workspace_id\": \"" + second + "\"}")
                .status()).isEqualTo(200);
        // credentials are a workspace's own: the second one needs its own
        assertThat(owner.post("/console/api/workspaces/current/model-providers/openai/credentials", "application/json",
                json(Map.of("credentials", Map.of("api_key", "sk-itest-victim", "base_url", fake.baseUrl())))).status())
                .isEqualTo(200);
        String victimApp = importApp(owner, CHAT_APP);
        owner.post("/console/api/apps/" + victimApp + "/publish", "application/json", "{}");
        String victimKey = owner.post("/console/api/apps/" + victimApp + "/api-keys", "application/json", "").json()
                .path("token").asText();
        String canary = "CANARY-B-" + UUID.randomUUID();
        String victimConversation = v1("POST", "/v1/chat-messages", victimKey,
                "{\"query\": \"" + canary + "\", \"inputs\": {}, \"user\": \"victim\"}").json().path("conversation_id").asText();
        assertThat(victimConversation).isNotBlank();
        owner.post("/console/api/workspaces/switch", "application/json", "{\"workspace_id\": \"" + firstWorkspace + "\"}");

        // an editor of the first workspace only
        String token = owner.post("/console/api/workspaces/current/members/invite-email", "application/json",
                "{\"emails\": [\"editor@weft.test\"], \"role\": \"editor\"}").json().path("invitation_results").get(0)
                .path("token").asText();
        assertThat(Http.anonymous(port).post("/console/api/auth/invitations/accept", "application/json",
                "{\"token\": \"" + token + "\", \"name\": \"Ed\", \"password\": \"editor-pass-1234\"}").status()).isEqualTo(200);
        assertThat(Http.anonymous(port).post("/console/api/auth/invitations/accept", "application/json",
                "{\"token\": \"" + token + "\", \"name\": \"Ed\", \"password\": \"editor-pass-1234\"}").status()).isEqualTo(400);
        Http editor = Http.as(port, "editor@weft.test", "editor-pass-1234");
        JsonNode workspaces = editor.get("/console/api/workspaces").json().path("workspaces");
        assertThat(workspaces).singleElement().satisfies(w -> assertThat(w.path("id").asText()).isEqualTo(firstWorkspace));

        // the other workspace's objects answer exactly as random ids do, and stay unchanged
        for (String path : List.of("/console/api/apps/%s", "/console/api/apps/%s/export", "/console/api/apps/%s/versions",
                "/console/api/apps/%s/api-keys")) {
            Http.Answer foreign = editor.get(String.format(path, victimApp));
            Http.Answer random = editor.get(String.format(path, UUID.randomUUID()));
            assertThat(foreign.status()).as(path).isIn(403, 404);
            assertThat(foreign.status()).as(path).isEqualTo(random.status());
            assertThat(foreign.body()).doesNotContain(canary).doesNotContain("Helper");
        }
        assertThat(editor.send("DELETE", "/console/api/apps/" + victimApp, null).status()).isEqualTo(404);
        assertThat(editor.post("/console/api/workspaces/switch", "application/json", "{\"workspace_id\": \"" + second + "\"}")
                .status()).isEqualTo(404);
        assertThat(owner.post("/console/api/workspaces/switch", "application/json", "{\"workspace_id\": \"" + second + "\"}")
                .status()).isEqualTo(200);
        assertThat(owner.get("/console/api/apps/" + victimApp).status()).isEqualTo(200);
        owner.post("/console/api/workspaces/switch", "application/json", "{\"workspace_id\": \"" + firstWorkspace + "\"}");

        // an app key of the first workspace cannot reach the victim's conversation either
        String ownApp = importApp(owner, CHAT_APP);
        owner.post("/console/api/apps/" + ownApp + "/publish", "application/json", "{}");
        String ownKey = owner.post("/console/api/apps/" + ownApp + "/api-keys", "application/json", "").json().path("token").asText();
        assertThat(v1("GET", "/v1/messages?user=victim&conversation_id=" + victimConversation, ownKey, null).status())
                .isEqualTo(404);

        // an editor builds and publishes, but manages neither keys, members nor credentials
        String editorsApp = importApp(editor, COMPLETION_APP);
        assertThat(editor.post("/console/api/apps/" + editorsApp + "/publish", "application/json", "{}").status()).isEqualTo(200);
        assertThat(editor.post("/console/api/apps/" + editorsApp + "/api-keys", "application/json", "").status()).isEqualTo(403);
        assertThat(editor.post("/console/api/workspaces/current/members/invite-email", "application/json",
                "{\"emails\": [\"x@weft.test\"], \"role\": \"admin\"}").status()).isEqualTo(403);
        assertThat(editor.post("/console/api/workspaces/current/model-providers/openai/credentials", "application/json",
                "{\"credentials\": {\"api_key\": \"sk-x\"}}").status()).isEqualTo(403);
        String editorId = editor.get("/console/api/auth/me").json().path("id").asText();
        assertThat(editor.send("PUT", "/console/api/workspaces/current/members/" + editorId + "/update-role",
                "{\"role\": \"owner\"}", "Content-Type", "application/json").status()).isEqualTo(403);

        // server-owned fields in a body are not taken (SEC-10): a new app gets its own id and the caller's workspace
        Http.Answer made = editor.post("/console/api/apps", "application/json", "{\"name\": \"Mine\", \"mode\": \"workflow\","
                + " \"id\": \"" + victimApp + "\", \"workspace_id\": \"" + second + "\", \"created_at\": 1}");
        assertThat(made.status()).isEqualTo(201);
        assertThat(made.json().path("id").asText()).isNotEqualTo(victimApp);
        assertThat(editor.get("/console/api/apps/" + made.json().path("id").asText()).status()).isEqualTo(200);
        owner.post("/console/api/workspaces/switch", "application/json", "{\"workspace_id\": \"" + second + "\"}");
        assertThat(owner.get("/console/api/apps/" + victimApp).json().path("name").asText()).isEqualTo("Helper");
        owner.post("/console/api/workspaces/switch", "application/json", "{\"workspace_id\": \"" + firstWorkspace + "\"}");

        // a request without the CSRF token changes nothing
        Http.Answer forged = Http.anonymous(port).send("POST", "/console/api/apps/" + editorsApp + "/publish", "{}",
                "Content-Type", "application/json", "Cookie", "weft_session=" + editor.session());
        assertThat(forged.status()).isEqualTo(403);

        // signing out revokes the session on the server
        assertThat(editor.post("/console/api/auth/logout", "application/json", "{}").status()).isEqualTo(200);
        assertThat(Http.anonymous(port).send("GET", "/console/api/apps", null, "Cookie", "weft_session=" + editor.session())
                .status()).isEqualTo(401);

        // the setup is closed for good, and a wrong password is told apart from nothing
        assertThat(Http.anonymous(port).post("/console/api/auth/setup", "application/json",
                "{\"email\": \"evil@weft.test\", \"password\": \"evil-pass-1234\"}").status()).isEqualTo(403);
        Http.Answer wrongPassword = Http.anonymous(port).post("/console/api/auth/login", "application/json",
                "{\"email\": \"" + Http.OWNER_EMAIL + "\", \"password\": \"not-the-password-1\"}");
        Http.Answer unknownEmail = Http.anonymous(port).post("/console/api/auth/login", "application/json",
                "{\"email\": \"nobody@weft.test\", \"password\": \"not-the-password-1\"}");
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownEmail.status()).isEqualTo(401);
        assertThat(stripRequestId(wrongPassword.body())).isEqualTo(stripRequestId(unknownEmail.body()));
    }

    @Test
    public void operators_see_logs_costs_statistics_and_annotations_answer_close_questions() throws Exception {
        assertThat(owner.send("PUT", "/console/api/workspaces/current/model-prices", "{\"provider\": \"openai\","
                + " \"model\": \"fake-chat\", \"input_per_million\": 2, \"output_per_million\": 8}",
                "Content-Type", "application/json").status()).isEqualTo(200);
        String app = importApp(owner, CHAT_APP);
        owner.post("/console/api/apps/" + app + "/publish", "application/json", "{}");
        String key = owner.post("/console/api/apps/" + app + "/api-keys", "application/json", "").json().path("token").asText();
        JsonNode first = v1("POST", "/v1/chat-messages", key, "{\"query\": \"Hi\", \"inputs\": {}, \"user\": \"dana\"}").json();
        v1("POST", "/v1/chat-messages", key, "{\"query\": \"More\", \"inputs\": {}, \"user\": \"dana\", \"conversation_id\": \""
                + first.path("conversation_id").asText() + "\"}");
        v1("POST", "/v1/messages/" + first.path("message_id").asText() + "/feedbacks", key,
                "{\"rating\": \"like\", \"user\": \"dana\", \"content\": \"good\"}");

        // the message log: answers, feedback, tokens and what the model calls cost (recorded apart, so awaited)
        JsonNode log = Await.until("priced messages", Duration.ofSeconds(10), () -> {
            JsonNode data = owner.get("/console/api/apps/" + app + "/messages").json().path("data");
            boolean priced = data.size() == 2 && Double.parseDouble(data.get(0).path("total_price").asText()) > 0
                    && Double.parseDouble(data.get(1).path("total_price").asText()) > 0;
            return priced ? data : null;
        });
        assertThat(log).extracting(m -> m.path("query").asText()).containsExactly("More", "Hi");
        assertThat(log.get(1).path("feedback").path("rating").asText()).isEqualTo("like");
        assertThat(log.get(1).path("answer_tokens").asLong()).isPositive();
        JsonNode runs = owner.get("/console/api/apps/" + app + "/workflow-runs?triggered_from=app-run").json();
        assertThat(runs.path("total").asInt()).isEqualTo(2);
        assertThat(runs.path("data").get(0).path("created_by").asText()).isEqualTo("dana");

        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        JsonNode messages = owner.get("/console/api/apps/" + app + "/statistics/daily-messages?days=2").json().path("data");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1).path("date").asText()).isEqualTo(today);
        assertThat(messages.get(1).path("message_count").asInt()).isEqualTo(2);
        assertThat(owner.get("/console/api/apps/" + app + "/statistics/daily-end-users?days=1").json().path("data").get(0)
                .path("terminal_count").asInt()).isEqualTo(1);
        assertThat(owner.get("/console/api/apps/" + app + "/statistics/daily-conversations?days=1").json().path("data")
                .get(0).path("conversation_count").asInt()).isEqualTo(1);
        assertThat(Double.parseDouble(owner.get("/console/api/apps/" + app + "/statistics/token-costs?days=1").json()
                .path("data").get(0).path("total_price").asText())).isPositive();

        // annotations answer questions close in meaning, without the model
        JsonNode annotation = v1("POST", "/v1/apps/annotations", key,
                "{\"question\": \"How do I reset my password?\", \"answer\": \"Use the reset link on the sign-in page.\"}").json();
        assertThat(annotation.path("id").asText()).isNotBlank();
        assertThat(v1("POST", "/v1/apps/annotation-reply/enable", key, "{\"score_threshold\": 0.8}").json()
                .path("job_status").asText()).isEqualTo("completed");
        int calls = fake.requests().size();
        JsonNode annotated = v1("POST", "/v1/chat-messages", key,
                "{\"query\": \"How can I reset my password?\", \"inputs\": {}, \"user\": \"erin\"}").json();
        assertThat(annotated.path("answer").asText()).isEqualTo("Use the reset link on the sign-in page.");
        assertThat(annotated.path("metadata").path("annotation_reply").path("id").asText())
                .isEqualTo(annotation.path("id").asText());
        assertThat(fake.requests()).hasSize(calls);
        List<JsonNode> streamed = events(v1("POST", "/v1/chat-messages", key, "{\"query\": \"how do i reset my password\","
                + " \"inputs\": {}, \"user\": \"erin\", \"response_mode\": \"streaming\"}").body());
        assertThat(streamed).extracting(e -> e.path("event").asText()).containsExactly("message", "message_end");
        assertThat(fake.requests()).hasSize(calls);
        // a question far from every annotation goes to the model
        assertThat(v1("POST", "/v1/chat-messages", key, "{\"query\": \"Write a haiku about rivers\", \"inputs\": {},"
                + " \"user\": \"erin\"}").json().path("answer").asText()).isEqualTo(FakeOpenAiServer.DEFAULT_ANSWER);
        assertThat(fake.requests()).hasSize(calls + 1);
        assertThat(owner.get("/console/api/apps/" + app + "/annotations").json().path("data").get(0).path("hit_count")
                .asInt()).isEqualTo(2);
        // the answered questions are in the conversation like any other
        assertThat(v1("GET", "/v1/messages?user=erin&conversation_id=" + annotated.path("conversation_id").asText(), key,
                null).json().path("data")).hasSize(1);
    }

    private static String stripRequestId(String body) {
        return body.replaceAll("\"request_id\":\"[^\"]*\"", "");
    }

    private String importApp(Http http, String yaml) {
        Http.Answer imported = http.post("/console/api/apps/imports", "application/json",
                json(Map.of("mode", "yaml-content", "yaml_content", yaml)));
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        return imported.json().path("app_id").asText();
    }

    private Http.Answer v1(String method, String path, String key, String body) {
        return Http.anonymous(port).send(method, path, body, "Authorization", "Bearer " + key, "Content-Type",
                "application/json");
    }

    private static List<JsonNode> events(String body) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(JSON.readTree(line.substring(6)));
            }
        }
        return events;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
