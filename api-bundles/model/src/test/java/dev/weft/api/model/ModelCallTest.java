package dev.weft.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelCallTest {

    @Test
    void a_call_without_its_workspace_is_refused_before_it_can_reach_any_credentials() {
        assertThatThrownBy(() -> new ModelCall(null, "openai", "gpt-4o-mini", null, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ModelCall("", "openai", "gpt-4o-mini", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workspace");
        assertThatThrownBy(() -> new ModelCall("  ", "", "", null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ModelCall("ws-1", null, null, null, null).provider()).isEmpty();
    }
}
