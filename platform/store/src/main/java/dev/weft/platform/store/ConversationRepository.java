package dev.weft.platform.store;

import java.util.List;
import java.util.Map;
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

    /**
     * Sets one of a conversation's variables (as the service API's update does), in the
     * conversation's workspace only.
     *
     * @param valueJson the new value as JSON text
     * @return the variable as stored, or empty when the workspace holds no such conversation
     * @since 1.6
     */
    Optional<ConversationVariableRecord> setVariable(String workspaceId, String conversationId, String name,
            String valueJson);

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

    /**
     * A page of an app's conversations held by one user, ordered by {@code sortBy}
     * ({@code created_at}, {@code -created_at}, {@code updated_at} or {@code -updated_at}), starting
     * after the conversation {@code lastId} when given.
     *
     * @return up to {@code limit} conversations
     * @since 1.5
     */
    List<ConversationRecord> list(String workspaceId, String appId, String userId, String lastId, int limit,
            String sortBy);

    /** Renames a conversation; empty when there is no such conversation in the workspace. @since 1.5 */
    Optional<ConversationRecord> rename(String workspaceId, String conversationId, String name);

    /** Deletes a conversation with its messages and variables; false when there was none. @since 1.5 */
    boolean delete(String workspaceId, String conversationId);

    /** One message of a workspace. @since 1.5 */
    Optional<MessageRecord> message(String workspaceId, String messageId);

    /**
     * A page of an app's messages (every conversation), newest first, for the console's logs.
     *
     * @since 1.5
     */
    List<MessageRecord> appMessages(String workspaceId, String appId, int offset, int limit);

    /**
     * Records the files a user sent with a message, as a JSON array.
     *
     * @since 1.5
     */
    void messageFiles(String workspaceId, String messageId, String filesJson);

    /** The files sent with these messages, by message id (messages without files are left out). @since 1.5 */
    Map<String, String> messageFiles(String workspaceId, java.util.Collection<String> messageIds);

    /**
     * Records the knowledge a message's answer was given and cites (Dify's
     * {@code retriever_resources}), as a JSON array.
     *
     * @since 1.6
     */
    void retrieverResources(String workspaceId, String messageId, String resourcesJson);

    /** The citations of these messages, by message id (messages without any are left out). @since 1.6 */
    Map<String, String> retrieverResources(String workspaceId, java.util.Collection<String> messageIds);

    /** Records (or replaces) the feedback on a message; a null rating removes it. @since 1.5 */
    void feedback(FeedbackRecord feedback);

    /** The feedback on these messages, by message id. @since 1.5 */
    java.util.Map<String, FeedbackRecord> feedbacks(String workspaceId, java.util.Collection<String> messageIds);

    /** A page of an app's feedback, newest first. @since 1.5 */
    List<FeedbackRecord> appFeedbacks(String workspaceId, String appId, int offset, int limit);
}
