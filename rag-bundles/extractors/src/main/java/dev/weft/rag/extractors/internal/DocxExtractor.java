package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFHeaderFooter;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFSDT;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Word documents (DOCX) through POI's XWPF model, in body order:
 * <ul>
 * <li>each paragraph is a paragraph; headings (built-in styles "Title", "heading 1".."heading 6",
 * whatever the document's language) get {@code #} markers as in Markdown; list paragraphs get
 * {@code - };</li>
 * <li>each table is one paragraph, one line per row, cells separated by {@code " | "};</li>
 * <li>content controls are read like the body;</li>
 * <li>headers and footers only when {@code includeHeadersFooters} is set: they usually repeat page
 * numbers and letterheads on every chunk's neighbour, which hurts retrieval more than it helps.</li>
 * </ul>
 * Embedded objects, images, comments and footnotes are not read.
 */
@Component(service = DocumentExtractor.class, configurationPid = "dev.weft.rag.extractors.docx")
public final class DocxExtractor extends OoxmlExtractor {

    static final String INCLUDE_HEADERS_FOOTERS = "includeHeadersFooters";

    static final ExtractorDescriptor DESCRIPTOR = new ExtractorDescriptor("docx", "1", "Word document",
            "Reads DOCX paragraphs, headings and tables (cells separated by |), optionally headers and footers.",
            Settings.schema(Settings.with(OoxmlGuard.schema(), INCLUDE_HEADERS_FOOTERS,
                    Settings.bool("Also read page headers and footers (before and after the body)", false))),
            Set.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), Set.of("docx"));

    private static final Pattern HEADING = Pattern.compile("heading\\s*([1-6])");

    private final boolean headersFooters;

    @Activate
    public DocxExtractor(Map<String, Object> properties) {
        super(DESCRIPTOR, new Settings(properties), "a Word document (DOCX)", "wordprocessingml");
        this.headersFooters = new Settings(properties).booleanValue(INCLUDE_HEADERS_FOOTERS, false);
    }

    @Override
    ExtractedDocument readPackage(OPCPackage pkg, DocumentSource source, TextOut out) throws IOException {
        XWPFDocument document = new XWPFDocument(pkg);
        if (headersFooters) {
            writeHeadersFooters(document.getHeaderList(), out);
        }
        writeBody(document, document.getBodyElements(), out);
        if (headersFooters) {
            writeHeadersFooters(document.getFooterList(), out);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        putCoreProperties(pkg, metadata);
        return new ExtractedDocument(out.text(), metadata);
    }

    private static void writeBody(XWPFDocument document, List<IBodyElement> elements, TextOut out) {
        for (IBodyElement element : elements) {
            if (element instanceof XWPFParagraph paragraph) {
                writeParagraph(document, paragraph, out);
            } else if (element instanceof XWPFTable table) {
                writeTable(table, out);
            } else if (element instanceof XWPFSDT sdt) {
                out.paragraph(sdt.getContent().getText());
            }
        }
    }

    private static void writeParagraph(XWPFDocument document, XWPFParagraph paragraph, TextOut out) {
        String text = paragraph.getText();
        if (text == null || text.isBlank()) {
            return;
        }
        int level = headingLevel(document, paragraph);
        if (level > 0) {
            out.paragraph("#".repeat(level) + " " + text.strip());
        } else if (paragraph.getNumID() != null) {
            // consecutive list items stay together as lines of one paragraph
            out.newline().append("- " + text.strip()).newline();
        } else {
            out.paragraph(text);
        }
    }

    private static int headingLevel(XWPFDocument document, XWPFParagraph paragraph) {
        String styleId = paragraph.getStyleID();
        if (styleId == null) {
            return 0;
        }
        XWPFStyle style = document.getStyles() == null ? null : document.getStyles().getStyle(styleId);
        String name = (style == null || style.getName() == null ? styleId : style.getName()).toLowerCase(Locale.ROOT);
        if (name.equals("title")) {
            return 1;
        }
        Matcher m = HEADING.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static void writeTable(XWPFTable table, TextOut out) {
        out.endParagraph();
        for (XWPFTableRow row : table.getRows()) {
            StringBuilder line = new StringBuilder();
            boolean any = false;
            for (XWPFTableCell cell : row.getTableCells()) {
                if (!line.isEmpty() || any) {
                    line.append(" | ");
                }
                String text = cell.getText().strip().replaceAll("\\s*\\R\\s*", " ");
                any |= !text.isEmpty();
                line.append(text);
            }
            if (any) {
                out.append(line).newline();
            }
        }
        out.endParagraph();
    }

    private static void writeHeadersFooters(List<? extends XWPFHeaderFooter> parts, TextOut out) {
        Set<String> seen = new LinkedHashSet<>(); // the same header is often repeated per section
        for (XWPFHeaderFooter part : parts) {
            String text = part.getText();
            if (text != null && !text.isBlank() && seen.add(text.strip())) {
                out.paragraph(text);
            }
        }
    }
}
