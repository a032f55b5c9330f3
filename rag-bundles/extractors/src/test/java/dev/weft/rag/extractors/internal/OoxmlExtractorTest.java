package dev.weft.rag.extractors.internal;

import static dev.weft.rag.extractors.internal.Docs.failure;
import static dev.weft.rag.extractors.internal.Docs.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.wp.usermodel.HeaderFooterType;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OoxmlExtractorTest {

    static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @TempDir
    Path dir;
    Path canary;
    String canaryText;

    @BeforeEach
    void canary() throws IOException {
        canary = Docs.canary(dir);
        canaryText = Files.readString(canary);
    }

    @Nested
    class Docx {
        private final DocxExtractor extractor = new DocxExtractor(Map.of());

        @Test
        void readsParagraphsHeadingsAndTables() throws IOException {
            ExtractedDocument doc = extractor.extract(source("plan.docx", DOCX, docx()));
            assertThat(doc.text()).isEqualTo("""
                    # Project plan

                    The plan has two phases.

                    Phase | Owner
                    Design | Ada
                    Build | Grace

                    Closing words.""");
            assertThat(doc.metadata()).containsEntry("title", "Plan").containsEntry("author", "Ada Lovelace");
        }

        @Test
        void readsHeadersAndFootersOnlyWhenAsked() throws IOException {
            assertThat(extractor.extract(source("plan.docx", DOCX, docx())).text()).doesNotContain("ACME", "Page footer");
            DocxExtractor withThem = new DocxExtractor(Map.of("includeHeadersFooters", "true"));
            String text = withThem.extract(source("plan.docx", DOCX, docx())).text();
            assertThat(text).startsWith("ACME Corp\n\n# Project plan").endsWith("Closing words.\n\nPage footer");
        }

        @Test
        void ignoresOrRefusesExternalEntitiesAndNeverReadsTheCanary() throws IOException {
            String body = "<w:body><w:p><w:r><w:t>before &xxe; after</w:t></w:r></w:p></w:body></w:document>";
            for (String doctype : List.of(
                    "<!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"" + canary.toUri() + "\">]>",
                    "<!DOCTYPE w:document SYSTEM \"" + canary.toUri() + "\">",
                    "<!DOCTYPE w:document [<!ENTITY % p SYSTEM \"" + canary.toUri() + "\"> %p; <!ENTITY xxe \"x\">]>",
                    "<!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                            + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                            + "<!ENTITY xxe \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>")) {
                String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + doctype + documentOpen() + body;
                byte[] attack = Docs.replace(docx(), "word/document.xml", xml.getBytes(StandardCharsets.UTF_8));
                assertNoCanary(extractor, source("xxe.docx", DOCX, attack));
            }
        }

        @Test
        void doesNotProcessXInclude() throws IOException {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + documentOpen()
                    + "<w:body><w:p><w:r><w:t>visible</w:t></w:r></w:p>"
                    + "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" + canary.toUri() + "\" parse=\"text\"/>"
                    + "</w:body></w:document>";
            byte[] attack = Docs.replace(docx(), "word/document.xml", xml.getBytes(StandardCharsets.UTF_8));
            assertNoCanary(extractor, source("xinclude.docx", DOCX, attack));
        }

        @Test
        void refusesAHighRatioZipBombWithinSeconds() throws IOException {
            // 20 MB of spaces inside the body compress about 1000:1
            byte[] bomb = Docs.zipWithHugeEntry(docx(), "word/document.xml",
                    "<?xml version=\"1.0\"?>" + documentOpen() + "<w:body><w:p><w:r><w:t>", 20 * Settings.MB,
                    "</w:t></w:r></w:p></w:body></w:document>");
            assertThat(bomb.length).isLessThan(200_000);
            long start = System.nanoTime();
            ExtractionException e = failure(extractor, source("bomb.docx", DOCX, bomb));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(e.code()).isEqualTo("document_limit");
            assertThat(e.getMessage()).contains("bomb.docx").contains("zip bomb").contains("word/document.xml");
        }

        @Test
        void refusesAPartLargerThanTheEntryLimit() throws IOException {
            // a 150 MB part: over the default 100 MB per part
            byte[] bomb = Docs.zipWithHugeEntry(docx(), "word/document.xml",
                    "<?xml version=\"1.0\"?>" + documentOpen() + "<w:body><w:p><w:r><w:t>", 150 * Settings.MB,
                    "</w:t></w:r></w:p></w:body></w:document>");
            long start = System.nanoTime();
            ExtractionException e = failure(new DocxExtractor(Map.of("minInflateRatio", 0.0001)), source("big.docx", DOCX, bomb));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(e.code()).isEqualTo("document_limit");
            assertThat(e.getMessage()).contains("more than 100 MB");
        }

        @Test
        void refusesTooManyEntries() throws IOException {
            Map<String, byte[]> entries = Docs.entries(docx());
            for (int i = 0; i < 5000; i++) {
                entries.put("word/media/junk" + i + ".bin", new byte[] {1});
            }
            long start = System.nanoTime();
            ExtractionException e = failure(extractor, source("many.docx", DOCX, Docs.zip(entries)));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(e.code()).isEqualTo("document_limit");
            assertThat(e.getMessage()).contains("many.docx").contains("1,000");
        }

        @Test
        void refusesOverlappingEntries() {
            byte[] kernel = new byte[200_000];
            Arrays.fill(kernel, (byte) 'a');
            byte[] bomb = Docs.overlappingZip("[Content_Types].xml", kernel, 50);
            ExtractionException e = failure(new DocxExtractor(Map.of("minInflateRatio", 0.0001)),
                    source("overlap.docx", DOCX, bomb));
            assertThat(e.code()).isEqualTo("document_limit");
            assertThat(e.getMessage()).contains("share the same data");
        }

        @Test
        void neverOpensANestedArchive() throws IOException {
            // an embedded "object" that is itself a zip bomb: the outer document is still read, quickly
            byte[] innerBomb = Docs.zipWithHugeEntry(Docs.zip(Map.of()), "huge.xml", "<a>", 50 * Settings.MB, "</a>");
            byte[] innerDocx = Docs.replace(docx(), "word/document.xml", ("<?xml version=\"1.0\"?>" + documentOpen()
                    + "<w:body><w:p><w:r><w:t>INNER TEXT</w:t></w:r></w:p></w:body></w:document>").getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> entries = Docs.entries(docx());
            String types = new String(entries.get("[Content_Types].xml"), StandardCharsets.UTF_8).replace("<Default ",
                    "<Default Extension=\"zip\" ContentType=\"application/zip\"/><Default Extension=\"docx\" ContentType=\""
                            + DOCX + "\"/><Default ");
            entries.put("[Content_Types].xml", types.getBytes(StandardCharsets.UTF_8));
            entries.put("word/embeddings/bomb.zip", innerBomb);
            entries.put("word/embeddings/Microsoft_Word_Document.docx", innerDocx);
            long start = System.nanoTime();
            ExtractedDocument doc = extractor.extract(source("nested.docx", DOCX, Docs.zip(entries)));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(doc.text()).startsWith("# Project plan").doesNotContain("INNER TEXT");
        }

        @Test
        void refusesOtherKindsWithClearMessages() throws IOException {
            ExtractionException sheet = failure(extractor, source("report.docx", DOCX, xlsx()));
            assertThat(sheet.code()).isEqualTo("document_type_mismatch");
            assertThat(sheet.getMessage()).isEqualTo("report.docx is not a Word document (DOCX): its content is a spreadsheet (XLSX).");
            ExtractionException html = failure(extractor, source("page.docx", DOCX, "<html><body>x</body></html>".getBytes(StandardCharsets.UTF_8)));
            assertThat(html.code()).isEqualTo("document_type_mismatch");
            ExtractionException zip = failure(extractor, source("plain.docx", DOCX, Docs.zip(Map.of("a.txt", new byte[] {1}))));
            assertThat(zip.code()).isEqualTo("document_unreadable");
        }

        @Test
        void recognisesEncryptedAndLegacyFiles() throws IOException {
            ExtractionException encrypted = failure(extractor, source("locked.docx", DOCX, ole2("EncryptionInfo")));
            assertThat(encrypted.code()).isEqualTo("document_unreadable");
            assertThat(encrypted.getMessage()).contains("password-protected");
            ExtractionException legacy = failure(extractor, source("old.docx", DOCX, ole2("WordDocument")));
            assertThat(legacy.code()).isEqualTo("document_type_mismatch");
            assertThat(legacy.getMessage()).contains("legacy Office file");
        }

        @Test
        void refusesADamagedFile() throws IOException {
            byte[] docx = docx();
            ExtractionException e = failure(extractor, source("cut.docx", DOCX, Arrays.copyOf(docx, docx.length / 2)));
            assertThat(e.code()).isEqualTo("document_unreadable");
        }

        @Test
        void enforcesTheTextLimit() throws IOException {
            assertThat(failure(new DocxExtractor(Map.of("maxTextChars", 40)), source("plan.docx", DOCX, docx())).code())
                    .isEqualTo("document_limit");
        }
    }

    @Nested
    class Xlsx {
        private final XlsxExtractor extractor = new XlsxExtractor(Map.of());

        @Test
        void labelsEachValueWithItsColumnAndUsesCachedFormulaResults() throws IOException {
            ExtractedDocument doc = extractor.extract(source("sales.xlsx", XLSX, xlsx()));
            assertThat(doc.text()).isEqualTo("""
                    ## Sales

                    Product: Widget; Price: 12.5; Date: 2024-03-01

                    Product: Gadget; Price: 3; Column D: note

                    Product: Total; Price: 42

                    ## Empty

                    ## Notes

                    just one line""");
            assertThat(doc.metadata()).containsEntry("sheet_count", 3)
                    .containsEntry("sheets", List.of("Sales", "Empty", "Notes"))
                    .containsEntry("title", "Q1 sales");
        }

        @Test
        void writesTabSeparatedRowsWhenTheFirstRowIsNoHeader() throws IOException {
            XlsxExtractor tabs = new XlsxExtractor(Map.of("firstRowIsHeader", false));
            String text = tabs.extract(source("sales.xlsx", XLSX, xlsx())).text();
            assertThat(text).startsWith("## Sales\n\nProduct\tPrice\tDate\n\nWidget\t12.5\t2024-03-01\n\nGadget\t3\t\tnote");
        }

        @Test
        void ignoresOrRefusesExternalEntitiesAndNeverReadsTheCanary() throws IOException {
            byte[] base = xlsx();
            String strings = new String(Docs.entries(base).get("xl/sharedStrings.xml"), StandardCharsets.UTF_8);
            String attackStrings = strings.replaceFirst("<sst ", "<!DOCTYPE sst [<!ENTITY xxe SYSTEM \"" + canary.toUri() + "\">]><sst ")
                    .replace("Widget", "&xxe;");
            assertNoCanary(extractor, source("xxe.xlsx", XLSX, Docs.replace(base, "xl/sharedStrings.xml",
                    attackStrings.getBytes(StandardCharsets.UTF_8))));
            String sheet = new String(Docs.entries(base).get("xl/worksheets/sheet1.xml"), StandardCharsets.UTF_8);
            String attackSheet = sheet.replaceFirst("<worksheet ", "<!DOCTYPE worksheet SYSTEM \"" + canary.toUri() + "\"><worksheet ");
            assertNoCanary(extractor, source("xxe2.xlsx", XLSX, Docs.replace(base, "xl/worksheets/sheet1.xml",
                    attackSheet.getBytes(StandardCharsets.UTF_8))));
        }

        @Test
        void refusesAZipBombSheet() throws IOException {
            String sheet = new String(Docs.entries(xlsx()).get("xl/worksheets/sheet1.xml"), StandardCharsets.UTF_8);
            int cut = sheet.indexOf("<sheetData>") + "<sheetData>".length();
            byte[] bomb = Docs.zipWithHugeEntry(xlsx(), "xl/worksheets/sheet1.xml", sheet.substring(0, cut), 30 * Settings.MB,
                    sheet.substring(cut));
            long start = System.nanoTime();
            ExtractionException e = failure(extractor, source("bomb.xlsx", XLSX, bomb));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(e.code()).isEqualTo("document_limit");
        }

        @Test
        void refusesADocumentNamedXlsx() throws IOException {
            ExtractionException e = failure(extractor, source("data.xlsx", XLSX, docx()));
            assertThat(e.code()).isEqualTo("document_type_mismatch");
            assertThat(e.getMessage()).contains("a Word document (DOCX)");
        }

        @Test
        void enforcesTheTextLimit() throws IOException {
            assertThat(failure(new XlsxExtractor(Map.of("maxTextChars", 30)), source("s.xlsx", XLSX, xlsx())).code())
                    .isEqualTo("document_limit");
        }
    }

    private void assertNoCanary(dev.weft.spi.rag.DocumentExtractor extractor, DocumentSource source) {
        try {
            ExtractedDocument doc = extractor.extract(source);
            assertThat(doc.text()).doesNotContain(canaryText);
            assertThat(doc.metadata().toString()).doesNotContain(canaryText);
        } catch (ExtractionException e) {
            assertThat(e.code()).isEqualTo("document_unreadable");
            assertThat(e.getMessage()).contains(source.fileName()).doesNotContain(canaryText).doesNotContain(canary.toString());
        }
    }

    static String documentOpen() {
        return "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">";
    }

    static byte[] docx() throws IOException {
        try (XWPFDocument doc = new XWPFDocument()) {
            doc.getProperties().getCoreProperties().setTitle("Plan");
            doc.getProperties().getCoreProperties().setCreator("Ada Lovelace");
            doc.createHeader(HeaderFooterType.DEFAULT).createParagraph().createRun().setText("ACME Corp");
            doc.createFooter(HeaderFooterType.DEFAULT).createParagraph().createRun().setText("Page footer");
            XWPFParagraph heading = doc.createParagraph();
            heading.setStyle("Heading1");
            heading.createRun().setText("Project plan");
            doc.createParagraph().createRun().setText("The plan has two phases.");
            XWPFTable table = doc.createTable(3, 2);
            String[][] cells = {{"Phase", "Owner"}, {"Design", "Ada"}, {"Build", "Grace"}};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 2; c++) {
                    table.getRow(r).getCell(c).setText(cells[r][c]);
                }
            }
            doc.createParagraph();
            doc.createParagraph().createRun().setText("Closing words.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.write(out);
            return out.toByteArray();
        }
    }

    static byte[] xlsx() throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            wb.getProperties().getCoreProperties().setTitle("Q1 sales");
            XSSFSheet sales = wb.createSheet("Sales");
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            row(sales, 0, "Product", "Price", "Date");
            Row widget = row(sales, 1, "Widget");
            widget.createCell(1).setCellValue(12.5);
            Cell when = widget.createCell(2);
            when.setCellValue(LocalDate.of(2024, 3, 1));
            when.setCellStyle(date);
            Row gadget = row(sales, 2, "Gadget");
            gadget.createCell(1).setCellValue(3);
            gadget.createCell(3).setCellValue("note");
            Row total = row(sales, 4, "Total");
            Cell formula = total.createCell(1);
            formula.setCellFormula("SUM(B2:B3)");
            formula.setCellValue(42); // the cached result, deliberately not 15.5: nothing is recalculated
            wb.createSheet("Empty");
            row(wb.createSheet("Notes"), 0, "just one line");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static Row row(XSSFSheet sheet, int index, String... values) {
        Row row = sheet.createRow(index);
        for (int i = 0; i < values.length; i++) {
            row.createCell(i).setCellValue(values[i]);
        }
        return row;
    }

    private static byte[] ole2(String streamName) throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            fs.createDocument(new ByteArrayInputStream(new byte[64]), streamName);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }

}
