package dev.weft.rag.extractors.internal;

import dev.weft.rag.extractors.internal.Settings.Limits;
import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractionException;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.util.Objects;

/**
 * What every extractor does around its parser: limits from configuration, and one failure type.
 *
 * <p>Parsers fail in many ways on hostile or damaged files (IOException, IllegalStateException,
 * ClassCastException deep inside a library...). All of them become {@code document_unreadable}
 * with a message that names the file and the expected kind, never the library's own message, which
 * may quote document content or server paths. A {@link StackOverflowError} from deeply nested
 * input becomes {@code document_limit}. {@link OutOfMemoryError} is not caught: the limits exist so
 * that it does not happen.
 */
abstract class AbstractExtractor implements DocumentExtractor {

    private final ExtractorDescriptor descriptor;
    private final Limits limits;
    private final String kind;

    AbstractExtractor(ExtractorDescriptor descriptor, Settings settings, String kind) {
        this.descriptor = descriptor;
        this.limits = settings.limits();
        this.kind = kind;
    }

    @Override
    public final ExtractorDescriptor descriptor() {
        return descriptor;
    }

    final Limits limits() {
        return limits;
    }

    @Override
    public final ExtractedDocument extract(DocumentSource source) throws ExtractionException {
        Objects.requireNonNull(source, "source");
        try {
            return read(source, new TextOut(limits.maxTextChars(), source.fileName()));
        } catch (ExtractionException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw Errors.unreadable(Errors.name(source.fileName()) + " could not be read as " + kind
                    + ": the file is damaged or not valid.", e);
        } catch (StackOverflowError e) {
            throw Errors.limit(Errors.name(source.fileName()) + " is nested too deeply to read.");
        }
    }

    /** Reads the document; text goes to {@code out}, which enforces the text limit. */
    abstract ExtractedDocument read(DocumentSource source, TextOut out) throws IOException;

    /** Refuses content that is not text (PDF, archives, images, executables). */
    static void requireText(DocumentSource source, byte[] bytes, String kind) throws ExtractionException {
        Sniff sniff = Sniff.of(bytes);
        if (sniff != Sniff.TEXT && sniff != Sniff.HTML) {
            throw mismatch(source, kind, sniff);
        }
    }

    static ExtractionException mismatch(DocumentSource source, String kind, Sniff actual) {
        return Errors.mismatch(Errors.name(source.fileName()) + " is not " + kind + ": its content is "
                + actual.description() + ".");
    }
}
