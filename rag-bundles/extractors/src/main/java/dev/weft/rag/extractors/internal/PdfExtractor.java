package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * PDF files, read by PDFBox from a temporary file with at most 16 MB of parsed streams in memory
 * (the rest spills to temporary files).
 *
 * <ul>
 * <li>Text comes page by page in content order; pages are separated by blank lines.</li>
 * <li>Metadata: {@code title}, {@code author}, {@code page_count}.</li>
 * <li>A PDF that needs a password to open is refused ({@code document_unreadable}). One that is
 * encrypted only against editing (it opens with the empty password) is read when its permissions
 * allow copying text, and refused otherwise.</li>
 * <li>XFA forms, form fields, annotations, attachments and JavaScript are never processed: only
 * page content streams are, so the XML inside an XFA stream is never parsed (SEC-36).</li>
 * </ul>
 * Scanned pages without a text layer give no text (OCR is not done here).
 */
@Component(service = DocumentExtractor.class, configurationPid = "dev.weft.rag.extractors.pdf")
public final class PdfExtractor extends AbstractExtractor {

    static final ExtractorDescriptor DESCRIPTOR = new ExtractorDescriptor("pdf", "1", "PDF",
            "Reads the text layer of PDF files page by page, with title, author and page count.",
            Settings.schema(Map.of()), Set.of("application/pdf"), Set.of("pdf"));

    private static final long STREAM_MEMORY = 16 * Settings.MB;

    @Activate
    public PdfExtractor(Map<String, Object> properties) {
        super(DESCRIPTOR, new Settings(properties), "a PDF file");
    }

    @Override
    ExtractedDocument read(DocumentSource source, TextOut out) throws IOException {
        try (Input.TempFile file = Input.spool(source, limits().maxInputBytes())) {
            Sniff sniff = Sniff.of(head(file));
            if (sniff != Sniff.PDF) {
                throw mismatch(source, "a PDF file", sniff);
            }
            try (PDDocument document = Loader.loadPDF(new RandomAccessReadBufferedFile(file.path()), "",
                    MemoryUsageSetting.setupMixed(STREAM_MEMORY).streamCache)) {
                if (document.isEncrypted() && !document.getCurrentAccessPermission().canExtractContent()) {
                    throw Errors.unreadable(Errors.name(source.fileName())
                            + " is encrypted and its permissions forbid copying its text.", null);
                }
                PDFTextStripper stripper = new PDFTextStripper();
                stripper.setLineSeparator("\n");
                stripper.setPageStart("");
                stripper.setPageEnd("\n\n");
                stripper.writeText(document, new Writer() {
                    @Override
                    public void write(char[] chars, int off, int len) {
                        out.append(new String(chars, off, len));
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                });
                return new ExtractedDocument(out.text(), metadata(document));
            }
        } catch (InvalidPasswordException e) {
            throw Errors.unreadable(Errors.name(source.fileName())
                    + " is password-protected; remove the password and upload it again.", e);
        }
    }

    private static byte[] head(Input.TempFile file) throws IOException {
        try (InputStream in = Files.newInputStream(file.path())) {
            return in.readNBytes(8192);
        }
    }

    private static Map<String, Object> metadata(PDDocument document) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        PDDocumentInformation info = document.getDocumentInformation();
        if (info != null) {
            put(metadata, "title", info.getTitle());
            put(metadata, "author", info.getAuthor());
        }
        metadata.put("page_count", document.getNumberOfPages());
        return metadata;
    }

    private static void put(Map<String, Object> metadata, String key, String value) {
        if (value != null && !value.isBlank()) {
            metadata.put(key, TextOut.clean(value).strip());
        }
    }
}
