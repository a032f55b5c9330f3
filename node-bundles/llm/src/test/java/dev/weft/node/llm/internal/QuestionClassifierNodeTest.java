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
import dev.weft.spi.model.Usage;
import dev.weft.spi.node.NodeException;
import dev.weft.spi.node.NodeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class QuestionClassifierNodeTest {

    private String answer;
    private final List<ChatRequest> requests = new ArrayList<>();

    private final QuestionClassifierNode node = new QuestionClassifierNode(new ModelRuntime() {
        @Override
        public ModelResult chat(ModelCall call, ChatRequest request) {
            requests.add(request);
            return new ModelResult(new ChatResponse(ChatMessage.Assistant.of(answer), null, new Usage(30, 8), "m"),
                    "openai", "m", List.of(), 1);
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

    private static Map<String, Object> config() {
        return Map.of("type", "question-classifier", "query_variable_selector", List.of("sys", "query"),
                "model", Map.of("provider", "openai", "name", "gpt-4o-mini", "mode", "chat"),
                "instruction", "Be strict.",
                "classes", List.of(Map.of("id", "1", "name", "Billing questions"), Map.of("id", "2", "name", "Bug reports")));
    }

    @Test
    void theModelsChoiceDecidesTheBranch() throws NodeException {
        answer = "```json\n{\"keywords\": [\"crash\"], \"category_id\": \"2\", \"category_name\": \"Bug reports\"}\n```";
        NodeResult result = node.execute(TestNodeContext.of(config()).with("sys.query", "The app crashes on start"));
        assertThat(result.edgeSourceHandle()).isEqualTo("2");
        assertThat(result.outputs()).containsEntry("class_name", "Bug reports").containsEntry("class_id", "2");
        ChatMessage.System system = (ChatMessage.System) requests.get(0).messages().get(0);
        assertThat(system.text()).contains("Billing questions").contains("Bug reports").contains("Be strict.");
        assertThat(requests.get(0).messages().get(1)).isEqualTo(ChatMessage.User.of("The app crashes on start"));
    }

    @Test
    void anAnswerNamingNoClassTakesTheFirst() throws NodeException {
        answer = "I think it is about money.";
        NodeResult result = node.execute(TestNodeContext.of(config()).with("sys.query", "invoice?"));
        assertThat(result.edgeSourceHandle()).isEqualTo("1");
        assertThat(result.outputs()).containsEntry("class_name", "Billing questions");
    }

    @Test
    void validationNeedsClassesWithIds() {
        assertThat(node.validate(Map.of("classes", List.of()))).extracting(v -> v.path()).containsExactly("/classes");
        assertThat(node.validate(config())).isEmpty();
    }
}
