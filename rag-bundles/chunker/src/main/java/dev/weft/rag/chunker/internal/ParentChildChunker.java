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
 * Parent-child chunking ({@code hierarchical_model}, Dify's "Parent-child" chunk mode): parents are
 * cut by paragraph ({@code rules.segmentation}) or are the whole document ({@code full-doc}, its
 * first {@value ProcessRule#FULL_DOC_MAX_TOKENS} tokens); each parent's children are cut from it by
 * {@code rules.subchunk_segmentation}. Children are what is searched; the parent is what is
 * returned. Parents are numbered from 0 in the document, children from 0 within their parent.
 */
@Component(service = Chunker.class)
public final class ParentChildChunker implements Chunker {

    static final String ID = "hierarchical_model";

    private static final Descriptor DESCRIPTOR = new BasicDescriptor(ID, "1", "Parent-child",
            "Cuts text into parents (paragraphs, or the whole document up to 10,000 tokens) and each parent "
                    + "into small children; children are matched, parents are returned. Dify's hierarchical "
                    + "process rule.",
            ConfigSchemas.hierarchical());

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Chunk> chunk(String text, Map<String, Object> config, TokenCounter tokens) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tokens, "tokens");
        ProcessRule rule = ProcessRule.hierarchical(config);
        String cleaned = TextCleaner.clean(text, rule.cleaning());
        List<RecursiveSplitter.Piece> parents = rule.parentMode() == ProcessRule.ParentMode.FULL_DOC
                ? TokenBudget.head(cleaned.strip(), ProcessRule.FULL_DOC_MAX_TOKENS, tokens)
                        .map(List::of).orElse(List.of())
                : new RecursiveSplitter(rule.segmentation(), tokens).split(cleaned);
        RecursiveSplitter childSplitter = new RecursiveSplitter(rule.subchunk(), tokens);
        List<Chunk> chunks = new ArrayList<>(parents.size());
        for (RecursiveSplitter.Piece parent : parents) {
            List<Chunk> children = new ArrayList<>();
            for (RecursiveSplitter.Piece child : childSplitter.split(parent.content())) {
                children.add(new Chunk(children.size(), child.content(), child.tokens(), List.of()));
            }
            chunks.add(new Chunk(chunks.size(), parent.content(), parent.tokens(), children));
        }
        return chunks;
    }
}
