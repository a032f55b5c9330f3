package dev.weft.spi.rag;

import dev.weft.api.core.Pluggable;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns one kind of file into text.
 *
 * <p>Files come from users: extractors enforce size, expansion (zip-bomb) and entity (XXE) limits
 * and fail with an {@link ExtractionException} rather than exhaust memory.
 */
@ConsumerType
public interface DocumentExtractor extends Pluggable {

    @Override
    ExtractorDescriptor descriptor();

    /**
     * Extracts the text of a document.
     *
     * @throws ExtractionException when the file is damaged, encrypted, too large or not of this kind
     */
    ExtractedDocument extract(DocumentSource source) throws ExtractionException;
}
