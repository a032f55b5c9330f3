package dev.weft.rag.extractors.internal;

import static dev.weft.rag.extractors.internal.Docs.failure;
import static dev.weft.rag.extractors.internal.Docs.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractionException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDXFAResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfExtractorTest {

    private final PdfExtractor extractor = new PdfExtractor(Map.of());

    @TempDir
    Path dir;

    @Test
    void readsTextPageByPageWithMetadata() throws IOException {
        byte[] pdf = pdf(List.of(List.of("Weft knowledge bases", "First page body."), List.of("Second page.")), doc -> {
            doc.getDocumentInformation().setTitle("Handbook");
            doc.getDocumentInformation().setAuthor("Ada Lovelace");
        });
        ExtractedDocument doc = extractor.extract(source("handbook.pdf", "application/pdf", pdf));
        assertThat(doc.text()).isEqualTo("Weft knowledge bases\nFirst page body.\n\nSecond page.");
        assertThat(doc.metadata()).containsEntry("title", "Handbook").containsEntry("author", "Ada Lovelace")
                .containsEntry("page_count", 2);
    }

    @Test
    void refusesAPasswordProtectedPdf() throws IOException {
        byte[] pdf = pdf(List.of(List.of("Top secret")), doc -> protect(doc, "user-pw", new AccessPermission()));
        ExtractionException e = failure(extractor, source("secret.pdf", "application/pdf", pdf));
        assertThat(e.code()).isEqualTo("document_unreadable");
        assertThat(e.getMessage()).contains("secret.pdf").contains("password-protected");
    }

    @Test
    void readsAnOwnerProtectedPdfOnlyWhenCopyingIsAllowed() throws IOException {
        byte[] allowed = pdf(List.of(List.of("Readable")), doc -> protect(doc, "", new AccessPermission()));
        assertThat(extractor.extract(source("a.pdf", "application/pdf", allowed)).text()).isEqualTo("Readable");
        AccessPermission noCopy = new AccessPermission();
        noCopy.setCanExtractContent(false);
        byte[] forbidden = pdf(List.of(List.of("Locked")), doc -> protect(doc, "", noCopy));
        ExtractionException e = failure(extractor, source("b.pdf", "application/pdf", forbidden));
        assertThat(e.code()).isEqualTo("document_unreadable");
        assertThat(e.getMessage()).contains("forbid copying");
    }

    @Test
    void refusesHtmlNamedPdf() {
        ExtractionException e = failure(extractor, source("report.pdf", "application/pdf",
                "<!DOCTYPE html><html><body><script>alert(1)</script>Hi</body></html>".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.code()).isEqualTo("document_type_mismatch");
        assertThat(e.getMessage()).isEqualTo("report.pdf is not a PDF file: its content is an HTML page.");
    }

    @Test
    void refusesADamagedPdf() throws IOException {
        byte[] pdf = pdf(List.of(List.of("Some text")), doc -> { });
        byte[] damaged = Arrays.copyOf(pdf, 60);
        ExtractionException e = failure(extractor, source("broken.pdf", "application/pdf", damaged));
        assertThat(e.code()).isEqualTo("document_unreadable");
        assertThat(e.getMessage()).contains("broken.pdf").doesNotContain("/tmp");
    }

    @Test
    void neverParsesXfa() throws IOException {
        Path canary = Docs.canary(dir);
        String xfa = "<?xml version=\"1.0\"?><!DOCTYPE xdp [<!ENTITY xxe SYSTEM \"" + canary.toUri() + "\">]>"
                + "<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"><template>&xxe;</template></xdp:xdp>";
        byte[] pdf = pdf(List.of(List.of("Form page")), doc -> {
            PDAcroForm form = new PDAcroForm(doc);
            COSStream stream = doc.getDocument().createCOSStream();
            try (OutputStream out = stream.createOutputStream()) {
                out.write(xfa.getBytes(StandardCharsets.UTF_8));
            }
            form.setXFA(new PDXFAResource(stream));
            doc.getDocumentCatalog().setAcroForm(form);
        });
        ExtractedDocument doc = extractor.extract(source("form.pdf", "application/pdf", pdf));
        assertThat(doc.text()).isEqualTo("Form page").doesNotContain(Files.readString(canary));
    }

    @Test
    void stopsAtTheTextLimit() throws IOException {
        byte[] pdf = pdf(List.of(List.of("a".repeat(60)), List.of("b".repeat(60))), doc -> { });
        PdfExtractor small = new PdfExtractor(Map.of("maxTextChars", 100));
        assertThat(failure(small, source("long.pdf", "application/pdf", pdf)).code()).isEqualTo("document_limit");
        PdfExtractor tiny = new PdfExtractor(Map.of("maxInputBytes", 100));
        assertThat(failure(tiny, source("long.pdf", "application/pdf", pdf)).code()).isEqualTo("document_limit");
    }

    interface DocumentEdit {
        void apply(PDDocument document) throws IOException;
    }

    static byte[] pdf(List<List<String>> pages, DocumentEdit edit) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> lines : pages) {
                PDPage page = new PDPage();
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.setLeading(16);
                    content.newLineAtOffset(72, 700);
                    for (String line : lines) {
                        content.showText(line);
                        content.newLine();
                    }
                    content.endText();
                }
            }
            edit.apply(document);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    private static void protect(PDDocument document, String userPassword, AccessPermission permission) throws IOException {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", userPassword, permission);
        policy.setEncryptionKeyLength(128);
        document.protect(policy);
    }
}
