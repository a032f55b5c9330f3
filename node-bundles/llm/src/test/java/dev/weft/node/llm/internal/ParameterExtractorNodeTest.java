package dev.weft.node.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.model.ModelCall;
import dev.weft.api.model.ModelResult;
import dev.weft.api.model.ModelRuntime;
import dev.weft.node.testing.TestNodeContext;
import dev.weft.spi.model.ChatEvent;
import dev.weft.spi.model.ChatMessage;
import dev.weft.spi.model.ChatRequest;
import dev.weft.spi.model.ChatResponse;
import dev.weft.spi.model.EmbeddingRequest;
import dev.weft.spi.model.EmbeddingResponse;
import dev.weft.spi.model.ToolCall;
import dev.weft.spi.model.ToolChoice;
import dev.weft.spi.model.Usage;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ParameterExtractorNodeTest {

    private ChatMessage.Assistant answer;
    private final List<ChatRequest> requests = new ArrayList<>();

    private final ParameterExtractorNode node = new ParameterExtractorNode(new ModelRuntime() {
        @Override
        public ModelResult chat(ModelCall call, ChatRequest request) {
            requests.add(request);
            return new ModelResult(new ChatResponse(answer, null, new Usage(40, 9), "m"), "openai", "m", List.of(), 1);
        }

        @Override
        public ModelResult stream(ModelCall call, ChatRequest request, Consumer<ChatEvent> sink) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EmbeddingResponse embed(ModelCall call, EmbeddingRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.weft.spi.model.RerankResponse rerank(ModelCall call, dev.weft.spi.model.RerankRequest request) {
            throw new UnsupportedOperationException();
        }
    });

    private static Map<String, Object> config(String mode) {
        return Map.of("type", "parameter-extractor", "query", List.of("start", "text"), "reasoning_mode", mode,
                "model", Map.of("provider", "openai", "name", "gpt-4o", "mode", "chat"),
                "parameters", List.of(
                        Map.of("name", "city", "type", "string", "description", "the city", "required", true),
                        Map.of("name", "days", "type", "number", "required", false),
                        Map.of("name", "unit", "type", "select", "options", List.of("C", "F"), "required", false)));
    }

    @Test
    void aToolCallCarriesTheParametersInTheirTypes() throws NodeException {
        answer = new ChatMessage.Assistant("", "", List.of(new ToolCall("c1", ParameterExtractorNode.TOOL,
                "{\"city\": \"Paris\", \"days\": \"3\", \"unit\": \"C\"}")));
        NodeResult result = node.execute(TestNodeContext.of(config("function_call")).with("start.text", "Paris, 3 days, Celsius"));
        assertThat(result.outputs()).containsEntry("city", "Paris").containsEntry("days", 3L).containsEntry("unit", "C")
                .containsEntry("__is_success", 1).containsEntry("__reason", null);
        ChatRequest sent = requests.get(0);
        assertThat(sent.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        assertThat(sent.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("extract_parameters");
            assertThat(tool.parameters()).containsEntry("required", List.of("city"));
        });
    }

    @Test
    void promptModeReadsTheJsonAnswer() throws NodeException {
        answer = ChatMessage.Assistant.of("Here:\n```json\n{\"city\": \"Oslo\"}\n```");
        NodeResult result = node.execute(TestNodeContext.of(config("prompt")).with("start.text", "Oslo"));
        assertThat(result.outputs()).containsEntry("city", "Oslo").containsEntry("days", 0).containsEntry("__is_success", 1);
        assertThat(requests.get(0).tools()).isEmpty();
        assertThat(((ChatMessage.System) requests.get(0).messages().get(0)).text()).contains("\"city\"");
    }

    @Test
    void aMissingRequiredParameterOrAnInvalidValueIsAFailedExtractionNotAFailedNode() throws NodeException {
        answer = new ChatMessage.Assistant("", "", List.of(new ToolCall("c1", ParameterExtractorNode.TOOL, "{\"days\": 2}")));
        NodeResult missing = node.execute(TestNodeContext.of(config("function_call")).with("start.text", "two days"));
        assertThat(missing.outputs()).containsEntry("__is_success", 0).containsEntry("__reason", "Parameter city is required")
                .containsEntry("city", "").containsEntry("days", 0);

        answer = new ChatMessage.Assistant("", "", List.of(new ToolCall("c1", ParameterExtractorNode.TOOL,
                "{\"city\": \"Rome\", \"unit\": \"K\"}")));
        assertThat(node.execute(TestNodeContext.of(config("function_call"))).outputs())
                .containsEntry("__is_success", 0).containsEntry("__reason", "Invalid `select` value for parameter unit");
    }
}
