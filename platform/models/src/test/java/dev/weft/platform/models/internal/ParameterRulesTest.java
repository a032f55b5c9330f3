package dev.weft.platform.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.platform.models.internal.ParameterRules.Rule;
import dev.weft.spi.model.ModelParameters;
import dev.weft.spi.model.NonRetriableModelException;
import dev.weft.spi.model.ResponseFormat;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterRulesTest {

    private final ParameterRules rules = ParameterRules.load();

    private static ModelParameters params(Double temperature, Double topP, Integer maxTokens, List<String> stop,
            Double presence, Double frequency, Long seed, Map<String, Object> extra) {
        return new ModelParameters(temperature, topP, maxTokens, stop, presence, frequency, seed, extra);
    }

    private static ModelParameters temperature(double t) {
        return params(t, null, null, null, null, null, null, null);
    }

    private static ModelParameters extra(Map<String, Object> extra) {
        return params(null, null, null, null, null, null, null, extra);
    }

    private String refusal(String provider, String model, ModelParameters p) {
        try {
            rules.validate(provider, model, p, new ResponseFormat.Text());
        } catch (NonRetriableModelException.InvalidRequest e) {
            assertThat(e.code()).isEqualTo("invalid_request");
            return e.getMessage();
        }
        throw new AssertionError("expected " + provider + "/" + model + " to refuse " + p);
    }

    private void accepts(String provider, String model, ModelParameters p) {
        assertThatCode(() -> rules.validate(provider, model, p, new ResponseFormat.Text()))
                .doesNotThrowAnyException();
    }

    private static Rule rule(List<Rule> rules, String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + name + " in " + rules));
    }

    private static List<String> names(List<Rule> rules) {
        return rules.stream().map(Rule::name).toList();
    }

    @Test
    void theDataLoadsOnceAndCoversTheFourProviders() {
        assertThat(ParameterRules.load()).isSameAs(rules);
        assertThat(rules.providers()).containsExactly("anthropic", "gemini", "ollama", "openai");
    }

    @Test
    void openAiRangesAreEnforced() {
        accepts("openai", "gpt-4o", params(2.0, 1.0, 16384, List.of("a", "b", "c", "d"), -2.0, 2.0, 7L, null));
        assertThat(refusal("openai", "gpt-4o", temperature(2.01))).isEqualTo("temperature 2.01 is above 2 for openai/gpt-4o");
        assertThat(refusal("openai", "gpt-4o", temperature(-0.1))).isEqualTo("temperature -0.1 is below 0 for openai/gpt-4o");
        assertThat(refusal("openai", "gpt-4o", params(null, 1.5, null, null, null, null, null, null)))
                .isEqualTo("top_p 1.5 is above 1 for openai/gpt-4o");
        assertThat(refusal("openai", "gpt-4o", params(null, null, null, null, 2.5, -3.0, null, null)))
                .isEqualTo("presence_penalty 2.5 is above 2 for openai/gpt-4o; "
                        + "frequency_penalty -3.0 is below -2 for openai/gpt-4o");
        assertThat(refusal("openai", "gpt-4o", params(null, null, 0, null, null, null, null, null)))
                .isEqualTo("max_tokens 0 is below 1 for openai/gpt-4o");
        assertThat(refusal("openai", "gpt-4o", params(null, null, 16385, null, null, null, null, null)))
                .isEqualTo("max_tokens 16385 is above 16384 for openai/gpt-4o");
        assertThat(refusal("openai", "gpt-4o", params(null, null, null, List.of("1", "2", "3", "4", "5"),
                null, null, null, null))).isEqualTo("stop has 5 sequences, at most 4");
    }

    @Test
    void theModelMaximumFollowsTheFamily() {
        accepts("openai", "gpt-4.1-2025-04-14", params(null, null, 32768, null, null, null, null, null));
        assertThat(refusal("openai", "gpt-4.1-mini", params(null, null, 32769, null, null, null, null, null)))
                .isEqualTo("max_tokens 32769 is above 32768 for openai/gpt-4.1-mini");
        assertThat(rule(rules.rules("openai", "gpt-4.1"), "max_tokens").max()).isEqualTo(32768.0);
        // A model of no known family keeps only the provider's floor.
        assertThat(rule(rules.rules("openai", "gpt-4-turbo"), "max_tokens").max()).isNull();
        accepts("openai", "gpt-4-turbo", params(null, null, 100_000, null, null, null, null, null));
    }

    @Test
    void theLongestPrefixWins() {
        assertThat(rules.family("openai", "gpt-4o-mini-2024-07-18")).isEqualTo("gpt-4o-mini");
        assertThat(rules.family("openai", "gpt-4o-2024-08-06")).isEqualTo("gpt-4o");
        assertThat(rules.family("openai", "GPT-4o-Mini")).isEqualTo("gpt-4o-mini");
        assertThat(rules.family("openai", "gpt-4-turbo")).isNull();
        // gpt-5-chat is not a reasoning model although gpt-5 is: the longer prefix decides.
        assertThat(rules.family("openai", "gpt-5-chat-latest")).isEqualTo("gpt-5-chat");
        assertThat(rules.family("openai", "gpt-5-mini")).isEqualTo("gpt-5");
        accepts("openai", "gpt-5-chat-latest", temperature(0.2));
        assertThat(refusal("openai", "gpt-5-mini", temperature(0.2))).startsWith("temperature 0.2 is not supported");
        assertThat(refusal("openai", "gpt-5-chat-latest", params(null, null, 16385, null, null, null, null, null)))
                .isEqualTo("max_tokens 16385 is above 16384 for openai/gpt-5-chat-latest");
        // Anthropic: a newer Sonnet 4.x with no known maximum is not held to Sonnet 4's.
        assertThat(rules.family("anthropic", "claude-sonnet-4-6")).isEqualTo("claude-sonnet-4-6");
        assertThat(rule(rules.rules("anthropic", "claude-sonnet-4-6"), "max_tokens").max()).isNull();
        assertThat(rule(rules.rules("anthropic", "claude-sonnet-4-20250514"), "max_tokens").max()).isEqualTo(64000.0);
    }

    @Test
    void reasoningModelsRefuseSamplingOtherThanTheDefault() {
        for (String model : List.of("o1", "o1-mini", "o3", "o3-mini", "o4-mini-2025-04-16", "gpt-5", "gpt-5-nano")) {
            assertThat(refusal("openai", model, temperature(0.7)))
                    .isEqualTo("temperature 0.7 is not supported by openai/" + model
                            + ": reasoning models accept only the default 1 (leave it unset)");
            accepts("openai", model, temperature(1.0));
            accepts("openai", model, ModelParameters.DEFAULTS);
            assertThat(names(rules.rules("openai", model))).doesNotContain("temperature", "top_p")
                    .contains("max_tokens");
        }
        assertThat(refusal("openai", "o3", params(0.0, 0.5, null, null, null, null, null, null)))
                .contains("temperature 0.0 is not supported").contains("top_p 0.5 is not supported");
        assertThat(refusal("openai", "o4-mini", params(null, null, 100_001, null, null, null, null, null)))
                .isEqualTo("max_tokens 100001 is above 100000 for openai/o4-mini");
    }

    @Test
    void anthropicRangesAndUnsupportedParameters() {
        accepts("anthropic", "claude-3-5-haiku-20241022", params(1.0, 0.9, 8192, List.of("x", "y", "z", "w", "v"),
                null, null, null, Map.of("top_k", 0)));
        assertThat(refusal("anthropic", "claude-3-5-haiku-20241022", temperature(1.5)))
                .isEqualTo("temperature 1.5 is above 1 for anthropic/claude-3-5-haiku-20241022");
        assertThat(refusal("anthropic", "claude-3-5-haiku-latest", params(null, null, 8193, null, null, null, null, null)))
                .isEqualTo("max_tokens 8193 is above 8192 for anthropic/claude-3-5-haiku-latest");
        assertThat(refusal("anthropic", "claude-3-opus-20240229", params(null, null, null, null, 0.5, 0.1, 42L, null)))
                .isEqualTo("presence_penalty is not supported by anthropic/claude-3-opus-20240229; "
                        + "frequency_penalty is not supported by anthropic/claude-3-opus-20240229; "
                        + "seed is not supported by anthropic/claude-3-opus-20240229");
        assertThat(refusal("anthropic", "claude-3-opus-20240229", extra(Map.of("top_k", -1))))
                .isEqualTo("top_k is below 0 for anthropic/claude-3-opus-20240229");
        assertThat(refusal("anthropic", "claude-3-opus-20240229", extra(Map.of("top_k", 2.5))))
                .isEqualTo("top_k must be an integer");

        Rule maxTokens = rule(rules.rules("anthropic", "claude-sonnet-4-5"), "max_tokens");
        assertThat(maxTokens.required()).isTrue();
        assertThat(maxTokens.defaultValue()).isEqualTo(4096);
        assertThat(maxTokens.min()).isEqualTo(1.0);
        // Required but defaulted: an unset max_tokens is filled in, not refused.
        accepts("anthropic", "claude-sonnet-4-5", ModelParameters.DEFAULTS);
        assertThat(names(rules.rules("anthropic", "claude-sonnet-4-5")))
                .containsExactly("temperature", "top_p", "top_k", "max_tokens", "stop");
    }

    @Test
    void claudeHaiku45TakesTemperatureOrTopPButNotBoth() {
        accepts("anthropic", "claude-haiku-4-5-20251001", temperature(0.3));
        assertThat(refusal("anthropic", "claude-haiku-4-5-20251001", params(0.3, 0.9, null, null, null, null, null, null)))
                .isEqualTo("temperature and top_p cannot be set together for anthropic/claude-haiku-4-5-20251001;"
                        + " set only one");
    }

    @Test
    void geminiRanges() {
        accepts("gemini", "gemini-2.5-flash", params(2.0, 1.0, 65536, List.of("1", "2", "3", "4", "5"), -2.0, 1.5, 3L,
                Map.of("top_k", 40)));
        assertThat(refusal("gemini", "gemini-2.5-flash", params(2.5, null, null, List.of("1", "2", "3", "4", "5", "6"),
                null, null, null, null)))
                .isEqualTo("temperature 2.5 is above 2 for gemini/gemini-2.5-flash; stop has 6 sequences, at most 5");
        Rule maxOutput = rule(rules.rules("gemini", "gemini-2.5-pro"), "max_output_tokens");
        assertThat(maxOutput.type()).isEqualTo("int");
        assertThat(refusal("gemini", "gemini-2.5-pro", params(null, null, 0, null, null, null, null, null)))
                .isEqualTo("max_output_tokens 0 is below 1 for gemini/gemini-2.5-pro");
    }

    @Test
    void ollamaIsPermissive() {
        accepts("ollama", "llama3.1:8b", params(1.7, 0.5, -1, List.of("a", "b", "c", "d", "e", "f"), 1.0, 1.0, 42L,
                Map.of("top_k", 100, "repeat_penalty", 1.3, "num_ctx", 8192, "mirostat", 2)));
        assertThat(refusal("ollama", "llama3.1:8b", params(null, 1.2, null, null, null, null, null, null)))
                .isEqualTo("top_p 1.2 is above 1 for ollama/llama3.1:8b");
        assertThat(refusal("ollama", "llama3.1:8b", extra(Map.of("repeat_penalty", "strict"))))
                .isEqualTo("repeat_penalty must be a number");
        assertThat(names(rules.rules("ollama", "qwen2.5"))).contains("num_predict", "repeat_penalty", "top_k", "seed");
    }

    @Test
    void anUnknownProviderGetsAPermissiveGenericSet() {
        assertThat(names(rules.rules("mistral", "mistral-large")))
                .containsExactly("temperature", "top_p", "max_tokens", "stop");
        assertThat(names(rules.rules(null, null))).containsExactly("temperature", "top_p", "max_tokens", "stop");
        // Parameters outside the generic set are not refused, nor is a long stop list.
        accepts("mistral", "mistral-large", params(1.9, 0.5, 100_000, List.of("1", "2", "3", "4", "5", "6", "7"),
                1.0, -1.0, 5L, Map.of("safe_prompt", true)));
        assertThat(refusal("mistral", "mistral-large", params(null, 1.5, 0, null, null, null, null, null)))
                .isEqualTo("top_p 1.5 is above 1 for mistral/mistral-large; max_tokens 0 is below 1 for mistral/mistral-large");
    }

    @Test
    void theMessageNamesEveryProblem() {
        String message = refusal("openai", "gpt-4o", params(3.0, 1.1, 20000, List.of("1", "2", "3", "4", "5", "6"),
                -2.5, null, null, null));
        assertThat(message).isEqualTo("temperature 3.0 is above 2 for openai/gpt-4o; "
                + "top_p 1.1 is above 1 for openai/gpt-4o; "
                + "max_tokens 20000 is above 16384 for openai/gpt-4o; "
                + "stop has 6 sequences, at most 4; "
                + "presence_penalty -2.5 is below -2 for openai/gpt-4o");
    }

    @Test
    void extraParameterValuesNeverAppearInMessages() {
        String secret = "sk-live-0123456789abcdef";
        ModelParameters p = extra(Map.of("top_k", secret, "api_key", secret, "repeat_penalty", 987654.321));
        String anthropic = refusal("anthropic", "claude-3-opus-20240229", p);
        assertThat(anthropic).isEqualTo("top_k must be an integer").doesNotContain(secret);
        String ollama = refusal("ollama", "llama3", extra(Map.of("top_k", -12345, "api_key", secret)));
        assertThat(ollama).isEqualTo("top_k is below 0 for ollama/llama3").doesNotContain("12345").doesNotContain(secret);
        String gemini = refusal("gemini", "gemini-2.0-flash", extra(Map.of("max_output_tokens", -777, "top_k", secret)));
        assertThat(gemini).contains("max_output_tokens is below 1").contains("top_k must be an integer")
                .doesNotContain("777").doesNotContain(secret);
    }

    @Test
    void aJsonResponseFormatIsNeverRefused() {
        ResponseFormat schema = new ResponseFormat.JsonSchema("answer", Map.of("type", "object"), true);
        for (String provider : List.of("openai", "anthropic", "gemini", "ollama", "other")) {
            for (ResponseFormat format : List.of(schema, new ResponseFormat.JsonObject(), new ResponseFormat.Text())) {
                assertThatCode(() -> rules.validate(provider, "some-model", ModelParameters.DEFAULTS, format))
                        .doesNotThrowAnyException();
            }
        }
        assertThatCode(() -> rules.validate("openai", "gpt-4o", null, null)).doesNotThrowAnyException();
    }

    @Test
    void rulesCarryTheConsoleFields() {
        Rule temperature = rule(rules.rules("openai", "gpt-4o"), "temperature");
        assertThat(temperature).isEqualTo(new Rule("temperature", "float", false, 1.0, 0.0, 2.0, 2, List.of(),
                temperature.help()));
        assertThat(temperature.help()).isNotBlank();
        assertThat(temperature.label()).isEqualTo("Temperature");
        assertThat(rule(rules.rules("openai", "gpt-4o"), "presence_penalty").label()).isEqualTo("Presence Penalty");
        assertThat(rule(rules.rules("openai", "gpt-4o"), "stop").max()).isEqualTo(4.0);
        for (String provider : List.of("openai", "anthropic", "gemini", "ollama")) {
            for (Rule r : rules.rules(provider, "x")) {
                assertThat(r.type()).isIn("float", "int", "string", "boolean", "text");
                assertThat(r.help()).as(provider + " " + r.name()).isNotBlank();
            }
        }
    }

    @Test
    void aRequiredParameterWithoutDefaultIsReportedMissing() throws Exception {
        String json = """
                {"generic": {"rules": []},
                 "providers": {"acme": {"strict": true, "rules": [
                   {"name": "max_tokens", "field": "max_tokens", "type": "int", "required": true, "min": 1},
                   {"name": "mode", "type": "string", "options": ["fast", "careful"]}]}}}
                """;
        ParameterRules custom = ParameterRules.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> custom.validate("acme", "m", extra(Map.of("mode", "reckless")), null))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class)
                .hasMessage("mode must be one of fast, careful for acme/m; max_tokens is required by acme/m");
        assertThatCode(() -> custom.validate("acme", "m", extra(Map.of("max_tokens", 5, "mode", "fast")), null))
                .doesNotThrowAnyException();
    }

    @Test
    void brokenDataIsRefusedWhenRead() {
        String json = """
                {"generic": {"rules": [{"name": "temperature", "type": "decimal"}]}, "providers": {}}
                """;
        assertThatThrownBy(() -> ParameterRules.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown type decimal");
    }

    @Test
    void whatAModelDoesNotTakeIsLeftOutAndTheRestMustBeInRange() throws Exception {
        ParameterRules.Applied anthropic = rules.apply("anthropic", "claude-sonnet-4-5",
                new ModelParameters(0.5, null, 1000, null, 0.3, 0.2, 7L, Map.of("top_k", 5)));
        assertThat(anthropic.leftOut()).containsExactly("presence_penalty", "frequency_penalty", "seed");
        assertThat(anthropic.parameters().temperature()).isEqualTo(0.5);
        assertThat(anthropic.parameters().maxTokens()).isEqualTo(1000);
        assertThat(anthropic.parameters().presencePenalty()).isNull();
        assertThat(anthropic.parameters().extra()).containsEntry("top_k", 5);

        ParameterRules.Applied reasoning = rules.apply("openai", "o1-mini-2024-09-12",
                new ModelParameters(0.0, 1.0, 500, null, null, null, null, null));
        assertThat(reasoning.leftOut()).containsExactly("temperature", "top_p");
        assertThat(reasoning.parameters().temperature()).isNull();

        assertThatThrownBy(() -> rules.apply("anthropic", "claude-sonnet-4-5",
                new ModelParameters(1.5, null, null, null, 0.3, null, null, null)))
                .isInstanceOf(NonRetriableModelException.InvalidRequest.class).hasMessageContaining("temperature 1.5 is above 1")
                .hasMessageNotContaining("presence_penalty");
    }
}
