package dev.weft.rag.chunker.internal;

import dev.weft.api.core.BasicDescriptor;
import dev.weft.api.core.Descriptor;
import dev.weft.spi.rag.Chunk;
import dev.weft.spi.rag.Chunker;
import dev.weft.spi.rag.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.component.annotations.Component;

/**
 * General chunking ({@code text_model}, Dify's "General" chunk mode): Dify's {@code automatic} and
 * {@code custom} process rules — cleaning, then the separator, then finer cuts and overlap within
 * blocks that are too long ({@link RecursiveSplitter}).
 *
 * <p>The id is Dify's {@code doc_form} value, so a Dify dataset's chunk mode names its chunker.
 */
@Component(service = Chunker.class)
public final class GeneralChunker implements Chunker {

    static final String ID = "text_model";

    private static final Descriptor DESCRIPTOR = new BasicDescriptor(ID, "1", "General",
            "Cuts text into chunks of at most max_tokens tokens by a separator, then by paragraph, line, "
                    + "sentence, word and character, with overlap; Dify's automatic and custom process rules.",
            ConfigSchemas.general());

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Chunk> chunk(String text, Map<String, Object> config, TokenCounter tokens) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tokens, "tokens");
        ProcessRule rule = ProcessRule.general(config);
        String cleaned = TextCleaner.clean(text, rule.cleaning());
        List<RecursiveSplitter.Piece> pieces = new RecursiveSplitter(rule.segmentation(), tokens).split(cleaned);
        List<Chunk> chunks = new ArrayList<>(pieces.size());
        for (RecursiveSplitter.Piece piece : pieces) {
            chunks.add(new Chunk(chunks.size(), piece.content(), piece.tokens(), List.of()));
        }
        return chunks;
    }
}
