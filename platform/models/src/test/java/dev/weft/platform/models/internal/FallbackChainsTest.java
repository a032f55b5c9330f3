package dev.weft.platform.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FallbackChainsTest {

    @Test
    void aModelsOwnChainWinsOverTheCatchAll() {
        FallbackChains chains = FallbackChains.parse(new String[] {
            "openai/gpt-4o -> anthropic/claude-sonnet-4-5, gemini/gemini-2.5-flash",
            "GPT-4o-mini -> openai/gpt-4.1-mini",
            "* -> ollama/llama3.2"});
        assertThat(chains.next("openai", "gpt-4o")).containsExactly("anthropic/claude-sonnet-4-5", "gemini/gemini-2.5-flash");
        assertThat(chains.next("openai", "gpt-4o-mini")).containsExactly("openai/gpt-4.1-mini");
        assertThat(chains.next("anthropic", "claude")).containsExactly("ollama/llama3.2");
        assertThat(FallbackChains.parse(new String[0]).next("openai", "x")).isEmpty();
    }

    @Test
    void anEntryThatDoesNotParseIsAClearError() {
        assertThatThrownBy(() -> FallbackChains.parse(new String[] {"gpt-4o anthropic/claude"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model -> provider/model");
        assertThatThrownBy(() -> FallbackChains.parse(new String[] {"gpt-4o -> claude"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider/model");
    }
}
