package dev.weft.rag.extractors.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * JSON documents, pretty-printed. When the top level is an array, each element becomes its own
 * paragraph (a string element as its plain text), so that a chunker keeps records whole; otherwise
 * the whole document is one pretty-printed block. Jackson's default read constraints (nesting depth,
 * string and number lengths) apply.
 */
@Component(service = DocumentExtractor.class, configurationPid = "dev.weft.rag.extractors.json")
public final class JsonExtractor extends AbstractExtractor {

    static final ExtractorDescriptor DESCRIPTOR = new ExtractorDescriptor("json", "1", "JSON",
            "Reads JSON documents as indented text; a top-level array gives one paragraph per element.",
            Settings.schema(Map.of()), Set.of("application/json"), Set.of("json"));

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    @Activate
    public JsonExtractor(Map<String, Object> properties) {
        super(DESCRIPTOR, new Settings(properties), "a JSON document");
    }

    @Override
    ExtractedDocument read(DocumentSource source, TextOut out) throws IOException {
        byte[] bytes = Input.readAll(source, limits().maxInputBytes());
        requireText(source, bytes, "a JSON document");
        JsonNode root;
        try {
            root = MAPPER.readTree(Charsets.decode(bytes).text());
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw Errors.unreadable(Errors.name(source.fileName()) + " is not valid JSON"
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")")
                    + ".", e);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (root == null || root.isMissingNode()) {
            metadata.put("top_level", "empty");
            return new ExtractedDocument("", metadata);
        }
        if (root.isArray()) {
            for (JsonNode element : root) {
                out.paragraph(element.isTextual() ? element.textValue() : PRETTY.writeValueAsString(element));
            }
            metadata.put("top_level", "array");
            metadata.put("element_count", root.size());
        } else {
            out.paragraph(root.isTextual() ? root.textValue() : PRETTY.writeValueAsString(root));
            metadata.put("top_level", root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new ExtractedDocument(out.text(), metadata);
    }
}
