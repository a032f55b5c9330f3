package dev.weft.bench;

import static dev.weft.bench.ServiceBench.shorten;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Whether a response of the load is right: null when it is, else what is wrong with it. */
final class Checks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checks() {
    }

    /** A chat stream is right when its message events add up to the answer and it ends with message_end. */
    static String stream(LoadConnection.Reply response, String expected) {
        StringBuilder answer = new StringBuilder();
        String last = null;
        String body = response.body();
        int at = 0;
        while (at < body.length()) {
            int end = body.indexOf('\n', at);
            if (end < 0) {
                end = body.length();
            }
            if (body.startsWith("data:", at)) {
                // only the event's top-level "event" and "answer" matter: a streaming parse, not a tree
                String event = null;
                String text = null;
                try (JsonParser parser = JSON.createParser(body.substring(at + 5, end).strip())) {
                    if (parser.nextToken() != JsonToken.START_OBJECT) {
                        return "not a JSON object: " + shorten(body.substring(at, end));
                    }
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (field.equals("event") && value == JsonToken.VALUE_STRING) {
                            event = parser.getText();
                        } else if (field.equals("answer") && value == JsonToken.VALUE_STRING) {
                            text = parser.getText();
                        } else {
                            parser.skipChildren();
                        }
                    }
                } catch (IOException e) {
                    return "not JSON data: " + shorten(body.substring(at, end));
                }
                last = event;
                if ("message".equals(event) && text != null) {
                    answer.append(text);
                } else if ("error".equals(event)) {
                    return "error event: " + shorten(body.substring(at, end));
                }
            }
            at = end + 1;
        }
        if (!"message_end".equals(last)) {
            return "the stream's last event is " + last + ", not message_end";
        }
        if (!answer.toString().equals(expected)) {
            return "the streamed answer is '" + shorten(answer.toString()) + "'";
        }
        return null;
    }

    /** A blocking workflow run is right when it succeeded with the expected greeting. */
    static String run(LoadConnection.Reply response, String greeting) {
        JsonNode data;
        try {
            data = JSON.readTree(response.body()).path("data");
        } catch (IOException e) {
            return "not JSON: " + shorten(response.body());
        }
        if (!data.path("status").asText().equals("succeeded")) {
            return "run " + data.path("status").asText() + ": " + shorten(data.path("error").asText());
        }
        if (!data.path("outputs").path("greeting").asText().equals(greeting)) {
            return "the greeting is '" + shorten(data.path("outputs").path("greeting").asText()) + "'";
        }
        return null;
    }
}
