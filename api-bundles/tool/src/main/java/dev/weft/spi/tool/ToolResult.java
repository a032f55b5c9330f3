package dev.weft.spi.tool;

import dev.weft.api.core.JsonValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a tool answered: one or more outputs.
 */
@ProviderType
public record ToolResult(List<Output> outputs) {

    /** One output. New kinds may be added in minor versions. */
    @ProviderType
    public sealed interface Output {
    }

    /** Text. */
    @ProviderType
    public record Text(String text) implements Output {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A JSON object. */
    @ProviderType
    public record Json(Map<String, Object> value) implements Output {
        public Json {
            value = JsonValues.copyOfObject(Objects.requireNonNull(value, "value"));
        }
    }

    /** A link. */
    @ProviderType
    public record Link(String url, String title) implements Output {
        public Link {
            Objects.requireNonNull(url, "url");
        }
    }

    /** A file. */
    @ProviderType
    public record File(String fileName, String mediaType, byte[] content) implements Output {
        public File {
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(content, "content");
        }
    }

    public ToolResult {
        outputs = List.copyOf(outputs);
    }

    /** A result of only text. */
    public static ToolResult text(String text) {
        return new ToolResult(List.of(new Text(text)));
    }
}
