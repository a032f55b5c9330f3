package dev.weft.web.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.api.core.Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    record Credential(String providerName, Secret apiKey) {
    }

    record Rename(String name) {
    }

    @Test
    void should_write_snake_case_members() throws Exception {
        assertThat(Json.mapper().writeValueAsString(new Credential("openai", null)))
                .isEqualTo("{\"provider_name\":\"openai\",\"api_key\":null}");
    }

    @Test
    void should_write_secrets_masked_never_in_clear() throws Exception {
        String json = Json.mapper().writeValueAsString(new Credential("openai", Secret.of("sk-proj-0123456789abcdefghijklmnopqrstuv")));

        assertThat(json).doesNotContain("0123456789").contains("sk-pro************uv");
    }

    @Test
    void should_ignore_unknown_members_and_refuse_trailing_garbage() throws Exception {
        assertThat(Json.mapper().readValue("{\"name\":\"a\",\"extra\":1}", Rename.class)).isEqualTo(new Rename("a"));
        assertThatThrownBy(() -> Json.mapper().readValue("{\"name\":\"a\"} {}", Rename.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void should_refuse_documents_nested_deeper_than_the_limit() {
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1);
        String fine = "[".repeat(50) + "]".repeat(50);

        assertThatThrownBy(() -> Json.mapper().readTree(deep)).isInstanceOf(JsonProcessingException.class);
        assertThat(Json.mapper().convertValue(Map.of("k", 1), Map.class)).containsEntry("k", 1);
        org.assertj.core.api.Assertions.assertThatCode(() -> Json.mapper().readTree(fine)).doesNotThrowAnyException();
    }
}
