package dev.weft.web.internal.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.api.workflow.RunEvent;
import dev.weft.api.workflow.RunStatus;
import dev.weft.web.internal.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * A chat app's answer as OpenAI's streamed chat completion: {@code chat.completion.chunk} objects
 * (the role first, then the text as it comes, then the finish reason and, when asked, the usage),
 * ended by {@code data: [DONE]}. A run that fails sends an {@code error} object before the end.
 */
final class OpenAiStream implements Consumer<RunEvent> {

    private static final Object END = new Object();

    private final ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final String model;
    private final boolean includeUsage;
    private volatile String id;
    private final long created = System.currentTimeMillis() / 1000;

    OpenAiStream(String model, boolean includeUsage) {
        this.model = model;
        this.includeUsage = includeUsage;
    }

    ChunkedOutput<String> output() {
        return output;
    }

    void begin(String completionId) {
        this.id = completionId;
        Thread.ofVirtual().name("weft-openai-stream").start(this::drain);
    }

    @Override
    public void accept(RunEvent event) {
        if (event instanceof RunEvent.TextChunk || event instanceof RunEvent.RunFinished) {
            queue.add(event);
        }
        if (event instanceof RunEvent.RunFinished) {
            queue.add(END);
        }
    }

    private void drain() {
        try {
            write(chunk(Map.of("role", "assistant", "content", ""), null));
            boolean streamed = false;
            while (true) {
                Object next = queue.poll(10, TimeUnit.SECONDS);
                if (next == null) {
                    output.write(": keep-alive\n\n");
                    continue;
                }
                if (next == END) {
                    break;
                }
                if (next instanceof RunEvent.TextChunk chunk) {
                    streamed = true;
                    write(chunk(Map.of("content", chunk.text()), null));
                } else if (next instanceof RunEvent.RunFinished finished) {
                    boolean ok = finished.status() == RunStatus.SUCCEEDED
                            || finished.status() == RunStatus.PARTIAL_SUCCEEDED;
                    if (!ok) {
                        write(OpenAiError.body("server_error", "run_failed", null,
                                finished.error() == null ? "The app could not answer." : finished.error()));
                        continue;
                    }
                    if (!streamed && finished.outputs() != null && finished.outputs().get("answer") instanceof String a
                            && !a.isEmpty()) {
                        write(chunk(Map.of("content", a), null));
                    }
                    write(chunk(Map.of(), "stop"));
                    if (includeUsage) {
                        Map<String, Object> usage = chunk(null, null);
                        usage.put("choices", List.of());
                        usage.put("usage", OpenAiResource.usage(finished.totalTokens()));
                        write(usage);
                    }
                }
            }
            output.write("data: [DONE]\n\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client went away; the run goes on and is recorded
        } finally {
            try {
                output.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private Map<String, Object> chunk(Map<String, Object> delta, String finishReason) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        if (delta != null) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("delta", delta);
            choice.put("finish_reason", finishReason);
            chunk.put("choices", List.of(choice));
        }
        return chunk;
    }

    private void write(Map<String, Object> chunk) throws IOException {
        try {
            output.write("data: " + Json.mapper().writeValueAsString(chunk) + "\n\n");
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
    }
}
