package dev.weft.rag.extractors.internal;

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

/** Plain text files; the character set is detected ({@link Charsets}). */
@Component(service = DocumentExtractor.class, configurationPid = "dev.weft.rag.extractors.txt")
public final class TextExtractor extends AbstractExtractor {

    static final ExtractorDescriptor DESCRIPTOR = new ExtractorDescriptor("txt", "1", "Plain text",
            "Reads text files; detects UTF-8, UTF-16/32 by byte order mark, and windows-1252.",
            Settings.schema(Map.of()), Set.of("text/plain"), Set.of("txt", "text", "log"));

    @Activate
    public TextExtractor(Map<String, Object> properties) {
        super(DESCRIPTOR, new Settings(properties), "a text file");
    }

    @Override
    ExtractedDocument read(DocumentSource source, TextOut out) throws IOException {
        byte[] bytes = Input.readAll(source, limits().maxInputBytes());
        requireText(source, bytes, "a text file");
        Charsets.Decoded decoded = Charsets.decode(bytes);
        out.append(decoded.text());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("charset", decoded.charset().name());
        return new ExtractedDocument(out.text(), metadata);
    }
}
