package dev.weft.spi.node;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One earlier turn of the conversation a chatflow run answers: what the user asked and what the app
 * answered.
 *
 * @since 1.1
 */
@ProviderType
public record ConversationTurn(String query, String answer) {

    public ConversationTurn {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(answer, "answer");
    }
}
