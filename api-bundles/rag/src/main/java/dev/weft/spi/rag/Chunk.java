package dev.weft.spi.rag;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A piece of a document. With parent-child chunking a parent carries its children: the children
 * are searched, the parent is what retrieval returns.
 *
 * @param index the position in the document, from 0
 * @param content the text
 * @param tokens its length in tokens
 * @param children smaller chunks within it; empty for plain chunking
 */
@ProviderType
public record Chunk(int index, String content, int tokens, List<Chunk> children) {

    public Chunk {
        Objects.requireNonNull(content, "content");
        children = children == null ? List.of() : List.copyOf(children);
    }
}
