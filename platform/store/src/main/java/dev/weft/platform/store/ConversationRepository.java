package dev.weft.platform.store;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Chatflow conversations, their variables and their messages, each scoped to a workspace. A
 * message's end and the conversation variables its run left are written in one transaction.
 *
 * @since 1.2
 */
@ProviderType
public interface ConversationRepository {

    /** Starts a conversation. */
    ConversationRecord create(String workspaceId, String appId, String userId, String name);

    Optional<ConversationRecord> find(String workspaceId, String conversationId);

    /** The conversation's variables as its last finished run left them. */
    List<ConversationVariableRecord> variables(String workspaceId, String conversationId);

    /** How many messages the conversation holds (its dialogue count). */
    int messageCount(String workspaceId, String conversationId);

    /** Records a message whose run started, as running. */
    void messageStarted(MessageRecord message);

    /**
     * Records how a message's run ended and stores the conversation's variables as it left them,
     * together: either both are written or neither is.
     *
     * @param variables each variable's value as JSON text, by name
     */
    void messageFinished(MessageRecord message, java.util.Map<String, String> variables);

    /** A conversation's messages, oldest first. */
    List<MessageRecord> messages(String workspaceId, String conversationId);

    /** Marks messages still recorded as running (their process died) as failed; returns how many. */
    int failInterrupted(String reason);
}
