package dev.weft.node.llm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON text to values and back. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The value of JSON text, or null when it is not JSON. */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /**
     * The JSON object a model wrote, also when it wrapped it in a Markdown code fence or put words
     * around it; null when there is none.
     */
    static Object extractObject(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.strip();
        Object direct = parse(trimmed);
        if (direct != null) {
            return direct;
        }
        int fence = trimmed.indexOf("```");
        if (fence >= 0) {
            int start = trimmed.indexOf('\n', fence);
            int end = trimmed.indexOf("```", start + 1);
            if (start > 0 && end > start) {
                Object fenced = parse(trimmed.substring(start + 1, end).strip());
                if (fenced != null) {
                    return fenced;
                }
            }
        }
        int open = trimmed.indexOf('{');
        int close = trimmed.lastIndexOf('}');
        if (open >= 0 && close > open) {
            return parse(trimmed.substring(open, close + 1));
        }
        return null;
    }
}
