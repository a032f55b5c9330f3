package dev.weft.web.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.core.ValidationException;
import dev.weft.api.core.Violation;
import dev.weft.api.core.WeftException;
import dev.weft.web.internal.json.Json;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    private static final String ID = "req-12345678";

    @Test
    void should_answer_malformed_json_with_400_and_where_it_broke() {
        Problem problem = ErrorMapper.problemFor(parse("{\"name\": "), ID);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.code()).isEqualTo("invalid_json");
        assertThat(problem.detail()).contains("line 1, column");
        assertThat(problem.requestId()).isEqualTo(ID);
    }

    @Test
    void should_answer_a_document_nested_too_deeply_with_400() {
        Problem problem = ErrorMapper.problemFor(parse("[".repeat(Json.MAX_NESTING_DEPTH + 1)), ID);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).contains("limit");
    }

    @Test
    void should_answer_a_value_of_the_wrong_type_with_422_and_its_pointer() {
        Problem problem = ErrorMapper.problemFor(bind("{\"items\": [{\"count\": \"many\"}]}"), ID);

        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.code()).isEqualTo("invalid_param");
        assertThat(problem.errors()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/items/0/count");
            assertThat(v.message()).doesNotContain("java.lang");
        });
    }

    @Test
    void should_answer_validation_failures_with_422_and_every_violation() {
        ValidationException invalid = new ValidationException(List.of(new Violation("/a", "is required"),
                new Violation("/b", "must be positive")));

        Problem problem = ErrorMapper.problemFor(invalid, ID);

        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.errors()).hasSize(2);
    }

    @Test
    void should_map_routing_failures_to_their_statuses() {
        assertThat(ErrorMapper.problemFor(new NotFoundException(), ID).status()).isEqualTo(404);
        assertThat(ErrorMapper.problemFor(new NotFoundException(), ID).code()).isEqualTo("not_found");
        assertThat(ErrorMapper.problemFor(new NotAllowedException("GET"), ID).status()).isEqualTo(405);
        assertThat(ErrorMapper.problemFor(new WebApplicationException("too big", 413), ID).code())
                .isEqualTo("payload_too_large");
    }

    @Test
    void should_keep_a_weft_failure_code_and_message() {
        Problem problem = ErrorMapper.problemFor(new WeftException("node_type_not_found", "No node type 'x'."), ID);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.code()).isEqualTo("node_type_not_found");
        assertThat(problem.detail()).isEqualTo("No node type 'x'.");
    }

    @Test
    void should_give_the_knowledge_codes_their_statuses() {
        assertThat(ErrorMapper.problemFor(new WeftException("dataset_not_found", "No knowledge base."), ID).status()).isEqualTo(404);
        assertThat(ErrorMapper.problemFor(new WeftException("document_not_found", "No document."), ID).status()).isEqualTo(404);
        assertThat(ErrorMapper.problemFor(new WeftException("segment_not_found", "No chunk."), ID).status()).isEqualTo(404);
        assertThat(ErrorMapper.problemFor(new WeftException("dataset_name_duplicate", "Taken."), ID).status()).isEqualTo(409);
        assertThat(ErrorMapper.problemFor(new WeftException("document_indexing", "Busy."), ID).status()).isEqualTo(409);
        assertThat(ErrorMapper.problemFor(new WeftException("file_too_large", "Too big."), ID).status()).isEqualTo(413);
        assertThat(ErrorMapper.problemFor(new WeftException("unsupported_file_type", "No."), ID).status()).isEqualTo(415);
        assertThat(ErrorMapper.problemFor(new WeftException("index_unavailable", "Not installed."), ID).status()).isEqualTo(503);
        Problem invalid = ErrorMapper.problemFor(new WeftException("invalid_param", "top_k must be positive"), ID);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo("invalid_param");
        assertThat(ErrorMapper.problemFor(new WeftException("conversation_not_found", "Gone."), ID).status()).isEqualTo(400);
    }

    @Test
    void should_answer_anything_unexpected_with_500_and_only_the_request_id() {
        Problem problem = ErrorMapper.problemFor(
                new IllegalStateException("SELECT * FROM secrets WHERE path='/etc/weft'"), ID);

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.code()).isEqualTo("internal_error");
        assertThat(problem.detail()).contains(ID).doesNotContain("SELECT").doesNotContain("/etc")
                .doesNotContain("IllegalStateException");
    }

    @Test
    void should_shape_service_api_errors_as_dify_does() {
        Problem problem = Problem.of(404, "not_found", "No such app.", ID);

        ErrorMapper.Shaped dify = ErrorMapper.shape(problem, "/v1/chat-messages");
        ErrorMapper.Shaped console = ErrorMapper.shape(problem, "/console/api/apps");

        assertThat(dify.mediaType()).isEqualTo("application/json");
        assertThat(dify.body()).isEqualTo(Map.of("code", "not_found", "message", "No such app.", "status", 404));
        assertThat(console.mediaType()).isEqualTo("application/problem+json");
        assertThat(console.body()).isEqualTo(problem);
        assertThat(ErrorMapper.shape(problem, "/v10/x").mediaType()).isEqualTo("application/problem+json");
    }

    @Test
    void should_blame_the_server_for_json_failures_outside_the_request_body() throws Exception {
        Exception writing = new com.fasterxml.jackson.databind.JsonMappingException(null, "cannot serialise");

        Problem problem = ErrorMapper.problemFor(writing, ID);

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.detail()).doesNotContain("serialise");
    }

    @Test
    void should_keep_the_detail_of_a_503() {
        Problem problem = ErrorMapper.problemFor(new jakarta.ws.rs.ServiceUnavailableException("The store is not ready yet.", 1L), ID);

        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.code()).isEqualTo("unavailable");
        assertThat(problem.detail()).isEqualTo("The store is not ready yet.");
    }

    /** A failure while reading a request body, as the interceptor reports it. */
    private static Exception parse(String json) {
        return readBody(() -> Json.mapper().readTree(json));
    }

    private static Exception readBody(java.util.concurrent.Callable<?> read) {
        RequestBodyInterceptor interceptor = new RequestBodyInterceptor();
        try {
            interceptor.aroundReadFrom(new FakeReaderContext(read));
            throw new AssertionError("read without failure");
        } catch (RequestBodyInterceptor.RequestBodyException e) {
            return e;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    record Item(int count) {
    }

    record Order(List<Item> items) {
    }

    private static Exception bind(String json) {
        return readBody(() -> Json.mapper().readValue(json, Order.class));
    }
}
