package dev.weft.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The console apps API over real HTTP: importing Dify files (as JSON and as YAML), listing, reading,
 * exporting and deleting apps, draft runs streamed as Dify's events for workflows and chatflows,
 * run records, and conversations whose variables outlive their runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppsApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String WORKFLOW = """
            app: {mode: workflow, name: Echo, description: says it back}
            kind: app
            version: 0.1.5
            workflow:
              graph:
                nodes:
                - id: start
                  data:
                    type: start
                    title: Start
                    variables:
                    - {variable: text, label: text, type: text-input, required: true}
                - id: shout
                  data:
                    type: template-transform
                    title: Shout
                    template: '{{ text | upper }}!'
                    variables:
                    - {variable: text, value_selector: [start, text]}
                - id: end
                  data:
                    type: end
                    title: End
                    outputs:
                    - {variable: result, value_selector: [shout, output]}
                edges:
                - {id: e1, source: start, target: shout, sourceHandle: source, targetHandle: target}
                - {id: e2, source: shout, target: end, sourceHandle: source, targetHandle: target}
              environment_variables:
              - {name: API_KEY, value_type: secret, value: sk-do-not-export}
            """;

    static final String CHATFLOW = """
            app: {mode: advanced-chat, name: Counter}
            kind: app
            version: 0.1.5
            workflow:
              conversation_variables:
              - {id: v-count, name: count, value_type: number, value: 0, description: turns so far}
              - {id: v-last, name: last, value_type: string, value: '', description: the previous query}
              graph:
                nodes:
                - id: start
                  data: {type: start, title: Start, variables: []}
                - id: before
                  data: {type: answer, title: Before, answer: 'previous: {{#conversation.last#}}; '}
                - id: count
                  data:
                    type: assigner
                    title: Count
                    version: '2'
                    items:
                    - {variable_selector: [conversation, count], input_type: constant, operation: +=, value: 1}
                    - {variable_selector: [conversation, last], input_type: variable, operation: over-write, value: [sys, query]}
                - id: answer
                  data: {type: answer, title: Answer, answer: 'turn {{#conversation.count#}}: {{#sys.query#}}'}
                edges:
                - {id: e1, source: start, target: before, sourceHandle: source, targetHandle: target}
                - {id: e2, source: before, target: count, sourceHandle: source, targetHandle: target}
                - {id: e3, source: count, target: answer, sourceHandle: source, targetHandle: target}
            """;

    @Inject
    BundleContext context;

    private Http http;

    @Configuration
    public Option[] config() {
        return WeftOptions.platform();
    }

    @Before
    public void setUp() {
        http = new Http(Integer.parseInt(context.getProperty("org.osgi.service.http.port")));
        Await.until("the console API", Duration.ofSeconds(30), () -> {
            Http.Answer apps = http.tryGet("/console/api/apps");
            return apps != null && apps.status() == 200;
        });
    }

    private String importApp(String yaml) throws IOException {
        Http.Answer answer = http.post("/console/api/apps/imports", "application/json",
                JSON.writeValueAsString(Map.of("mode", "yaml-content", "yaml_content", yaml)));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
        return answer.json().path("app_id").asText(answer.json().path("id").asText());
    }

    private static List<JsonNode> events(Http.Answer answer) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : answer.body().split("\n")) {
            if (line.startsWith("data: ")) {
                try {
                    events.add(JSON.readTree(line.substring(6)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return events;
    }

    private static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event").asText()).toList();
    }

    @Test
    public void a_workflow_is_imported_listed_read_exported_run_and_deleted() throws Exception {
        String id = importApp(WORKFLOW);
        assertThat(id).isNotBlank();
        Http.Answer yamlImport = http.post("/console/api/apps/imports", "application/yaml", WORKFLOW);
        assertThat(yamlImport.status()).as(yamlImport.body()).isIn(200, 201);

        JsonNode list = http.get("/console/api/apps").json();
        assertThat(list.toString()).contains(id).contains("Echo");
        assertThat(http.get("/console/api/apps/" + id).json().path("mode").asText()).isEqualTo("workflow");
        String exported = http.get("/console/api/apps/" + id + "/export").json().path("data").asText();
        assertThat(exported).contains("template-transform").doesNotContain("sk-do-not-export");

        Http.Answer run = http.post("/console/api/apps/" + id + "/workflows/draft/run", "application/json",
                "{\"inputs\": {\"text\": \"hello\"}}");
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.contentType()).startsWith("text/event-stream");
        List<JsonNode> events = events(run);
        assertThat(names(events)).startsWith("workflow_started", "node_started", "node_finished")
                .endsWith("workflow_finished").doesNotContain("message", "message_end");
        JsonNode finished = events.get(events.size() - 1).path("data");
        assertThat(finished.path("status").asText()).isEqualTo("succeeded");
        assertThat(finished.path("outputs").path("result").asText()).isEqualTo("HELLO!");
        String runId = finished.path("id").asText();
        assertThat(events).allSatisfy(e -> assertThat(e.path("workflow_run_id").asText()).isEqualTo(runId));

        JsonNode record = http.get("/console/api/apps/" + id + "/workflow-runs/" + runId).json();
        assertThat(record.path("status").asText()).isEqualTo("succeeded");
        assertThat(record.path("outputs").path("result").asText()).isEqualTo("HELLO!");
        JsonNode executions = http.get("/console/api/apps/" + id + "/workflow-runs/" + runId + "/node-executions").json();
        assertThat(executions.path("data")).extracting(n -> n.path("node_type").asText())
                .containsExactly("start", "template-transform", "end");

        Http.Answer deleted = send("DELETE", "/console/api/apps/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.get("/console/api/apps/" + id).status()).isEqualTo(404);
    }

    @Test
    public void a_broken_file_is_refused_with_every_problem() throws Exception {
        String broken = WORKFLOW.replace("target: end, sourceHandle", "target: nowhere, sourceHandle")
                .replace("[shout, output]", "[ghost, output]");
        Http.Answer answer = http.post("/console/api/apps/imports", "application/json",
                JSON.writeValueAsString(Map.of("mode", "yaml-content", "yaml_content", broken)));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("nowhere").contains("ghost");
    }

    @Test
    public void a_chatflow_streams_its_answer_as_messages_and_keeps_its_conversation_variables() throws Exception {
        String id = importApp(CHATFLOW);

        Http.Answer first = http.post("/console/api/apps/" + id + "/advanced-chat/workflows/draft/run", "application/json",
                "{\"query\": \"hello\", \"inputs\": {}}");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        List<JsonNode> events = events(first);
        List<String> names = names(events);
        assertThat(names).startsWith("workflow_started").containsSubsequence("message", "message", "message_end",
                "workflow_finished");
        assertThat(names.get(names.size() - 1)).isEqualTo("workflow_finished");
        assertThat(names.get(names.size() - 2)).isEqualTo("message_end");
        String conversation = events.get(0).path("conversation_id").asText();
        String message = events.get(0).path("message_id").asText();
        assertThat(conversation).hasSize(36);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("conversation_id").asText()).isEqualTo(conversation);
            assertThat(e.path("message_id").asText()).isEqualTo(message);
        });
        String answer = events.stream().filter(e -> e.path("event").asText().equals("message"))
                .map(e -> e.path("answer").asText()).reduce("", String::concat);
        assertThat(answer).isEqualTo("previous: ; turn 1: hello");
        assertThat(events.get(names.indexOf("message_end")).path("metadata").has("usage")).isTrue();

        Http.Answer second = http.post("/console/api/apps/" + id + "/advanced-chat/workflows/draft/run", "application/json",
                "{\"query\": \"again\", \"inputs\": {}, \"conversation_id\": \"" + conversation + "\"}");
        String secondAnswer = events(second).stream().filter(e -> e.path("event").asText().equals("message"))
                .map(e -> e.path("answer").asText()).reduce("", String::concat);
        assertThat(secondAnswer).isEqualTo("previous: hello; turn 2: again");
        assertThat(events(second).get(0).path("conversation_id").asText()).isEqualTo(conversation);

        JsonNode variables = http.get("/console/api/apps/" + id + "/conversation-variables?conversation_id=" + conversation).json();
        assertThat(variables.path("data")).extracting(v -> v.path("name").asText() + "=" + v.path("value").asText())
                .containsExactly("count=2", "last=again");

        Http.Answer fresh = http.post("/console/api/apps/" + id + "/advanced-chat/workflows/draft/run", "application/json",
                "{\"query\": \"new here\"}");
        assertThat(events(fresh).stream().filter(e -> e.path("event").asText().equals("message"))
                .map(e -> e.path("answer").asText()).reduce("", String::concat)).isEqualTo("previous: ; turn 1: new here");
    }

    @Test
    public void chat_requests_are_checked_before_a_run_starts() throws Exception {
        String id = importApp(CHATFLOW);
        Http.Answer unknown = http.post("/console/api/apps/" + id + "/advanced-chat/workflows/draft/run", "application/json",
                "{\"query\": \"hi\", \"conversation_id\": \"00000000-0000-0000-0000-000000000000\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("Conversation Not Exists.");
        Http.Answer noQuery = http.post("/console/api/apps/" + id + "/advanced-chat/workflows/draft/run", "application/json",
                "{\"inputs\": {}}");
        assertThat(noQuery.status()).isEqualTo(422);
        assertThat(noQuery.body()).contains("/query");
        String workflow = importApp(WORKFLOW);
        assertThat(http.post("/console/api/apps/" + workflow + "/advanced-chat/workflows/draft/run", "application/json",
                "{\"query\": \"hi\"}").status()).isEqualTo(400);
        assertThat(http.get("/console/api/apps/" + id + "/conversation-variables?conversation_id=nope").status()).isEqualTo(404);
    }

    private Http.Answer send(String method, String path) {
        try {
            var response = http.client().send(http.request(path).method(method,
                    HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Http.Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
