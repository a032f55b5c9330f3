package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Spreadsheets (XLSX), streamed sheet by sheet with POI's SAX event API, so memory stays flat for
 * sheets of any row count (the DOM model would hold every cell).
 *
 * <p>Each sheet starts with a {@code ## <sheet name>} heading. With {@code firstRowIsHeader} (the
 * default) the first non-empty row gives the column names and every later row becomes one
 * paragraph {@code "Name: value; Price: 12.50"}, empty cells left out. Why: a RAG chunk is often
 * cut from the middle of a sheet; labelled values keep their meaning there, and a question such
 * as "what does X cost" matches a row that never says "price" otherwise. Tab-separated rows would
 * be shorter but lose that. Sheets without a header row can switch to tab-separated lines.
 *
 * <p>Values are shown as Excel shows them (number formats, dates) through {@link DataFormatter};
 * formulas give their cached result, the value Excel last computed; nothing is recalculated.
 */
@Component(service = DocumentExtractor.class, configurationPid = "dev.weft.rag.extractors.xlsx")
public final class XlsxExtractor extends OoxmlExtractor {

    static final String FIRST_ROW_IS_HEADER = "firstRowIsHeader";

    static final ExtractorDescriptor DESCRIPTOR = new ExtractorDescriptor("xlsx", "1", "Excel spreadsheet",
            "Reads XLSX sheets row by row; each value is labelled with its column header. Formulas give their saved results.",
            Settings.schema(Settings.with(OoxmlGuard.schema(), FIRST_ROW_IS_HEADER, Settings.bool(
                    "Use each sheet's first non-empty row as column names (\"Name: value; ...\"); "
                            + "when false rows are tab-separated lines", true))),
            Set.of("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Set.of("xlsx"));

    private final boolean firstRowIsHeader;

    @Activate
    public XlsxExtractor(Map<String, Object> properties) {
        super(DESCRIPTOR, new Settings(properties), "a spreadsheet (XLSX)", "spreadsheetml");
        this.firstRowIsHeader = new Settings(properties).booleanValue(FIRST_ROW_IS_HEADER, true);
    }

    @Override
    ExtractedDocument readPackage(OPCPackage pkg, DocumentSource source, TextOut out) throws IOException {
        List<String> sheets = new ArrayList<>();
        try {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = reader.getStylesTable();
            DataFormatter formatter = new DataFormatter(Locale.ROOT);
            XSSFReader.SheetIterator iterator = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (iterator.hasNext()) {
                try (InputStream sheet = iterator.next()) {
                    String name = iterator.getSheetName();
                    sheets.add(name);
                    out.paragraph("## " + name);
                    XMLReader parser = XMLHelper.newXMLReader();
                    parser.setContentHandler(new XSSFSheetXMLHandler(styles, strings,
                            new Rows(out, firstRowIsHeader), formatter, false));
                    parser.parse(new InputSource(sheet));
                }
            }
        } catch (SAXException | OpenXML4JException e) {
            throw Errors.unreadable(Errors.name(source.fileName()) + " could not be read as a spreadsheet (XLSX): "
                    + "the file is damaged or not valid.", e);
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IOException(e);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        putCoreProperties(pkg, metadata);
        metadata.remove("page_count");
        metadata.put("sheet_count", sheets.size());
        metadata.put("sheets", sheets);
        return new ExtractedDocument(out.text(), metadata);
    }

    /** Collects one row's cells and writes it when the row ends. */
    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final TextOut out;
        private final boolean firstRowIsHeader;
        private final TreeMap<Integer, String> row = new TreeMap<>();
        private Map<Integer, String> header;
        private boolean wroteRows;

        Rows(TextOut out, boolean firstRowIsHeader) {
            this.out = out;
            this.firstRowIsHeader = firstRowIsHeader;
        }

        @Override
        public void startRow(int rowNum) {
            row.clear();
        }

        @Override
        public void cell(String reference, String formattedValue, XSSFComment comment) {
            if (formattedValue == null || formattedValue.isBlank()) {
                return;
            }
            int column = reference == null ? (row.isEmpty() ? 0 : row.lastKey() + 1) : new CellReference(reference).getCol();
            row.put(column, TextOut.clean(formattedValue).strip().replaceAll("\\s*\\n\\s*", " "));
        }

        @Override
        public void endRow(int rowNum) {
            if (row.isEmpty()) {
                return;
            }
            if (firstRowIsHeader && header == null) {
                header = new TreeMap<>(row);
                return;
            }
            StringBuilder line = new StringBuilder();
            if (firstRowIsHeader) {
                for (Map.Entry<Integer, String> cell : row.entrySet()) {
                    if (!line.isEmpty()) {
                        line.append("; ");
                    }
                    String name = header.get(cell.getKey());
                    line.append(name == null ? "Column " + CellReference.convertNumToColString(cell.getKey()) : name)
                            .append(": ").append(cell.getValue());
                }
            } else {
                for (int column = 0; column <= row.lastKey(); column++) {
                    if (column > 0) {
                        line.append('\t');
                    }
                    line.append(row.getOrDefault(column, ""));
                }
            }
            out.paragraph(line);
            wroteRows = true;
        }

        @Override
        public void endSheet() {
            if (header != null && !wroteRows) {
                // a sheet holding a single row: keep it as text rather than lose it
                out.paragraph(String.join("\t", header.values()));
            }
        }
    }
}
