package dev.weft.rag.extractors.internal;

import static dev.weft.rag.extractors.internal.Docs.failure;
import static dev.weft.rag.extractors.internal.Docs.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractionException;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TextFormatsTest {

    @Nested
    class Text {
        private final TextExtractor extractor = new TextExtractor(Map.of());

        @Test
        void readsUtf8AndNormalisesLineBreaks() {
            ExtractedDocument doc = extractor.extract(source("notes.txt", "Grüße aus Köln\r\nzweite Zeile\r\n\r\n\r\n\r\nDritter Absatz  \r\n"));
            assertThat(doc.text()).isEqualTo("Grüße aus Köln\nzweite Zeile\n\nDritter Absatz");
            assertThat(doc.metadata()).containsEntry("charset", "UTF-8");
        }

        @Test
        void detectsByteOrderMarks() {
            byte[] bom8 = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "café".getBytes(StandardCharsets.UTF_8));
            assertThat(extractor.extract(source("a.txt", "text/plain", bom8)).text()).isEqualTo("café");
            byte[] utf16le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "naïve ☃".getBytes(StandardCharsets.UTF_16LE));
            ExtractedDocument doc = extractor.extract(source("b.txt", "text/plain", utf16le));
            assertThat(doc.text()).isEqualTo("naïve ☃");
            assertThat(doc.metadata()).containsEntry("charset", "UTF-16LE");
            byte[] utf16be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "Ελληνικά".getBytes(StandardCharsets.UTF_16BE));
            assertThat(extractor.extract(source("c.txt", "text/plain", utf16be)).text()).isEqualTo("Ελληνικά");
        }

        @Test
        void detectsUtf16WithoutBom() {
            byte[] bytes = "plain ASCII in UTF-16".getBytes(StandardCharsets.UTF_16LE);
            assertThat(extractor.extract(source("d.log", "text/plain", bytes)).text()).isEqualTo("plain ASCII in UTF-16");
        }

        @Test
        void fallsBackToWindows1252ThenIso88591() {
            byte[] cp1252 = "Prix: 10 € – café".getBytes(Charset.forName("windows-1252"));
            ExtractedDocument doc = extractor.extract(source("e.txt", "text/plain", cp1252));
            assertThat(doc.text()).isEqualTo("Prix: 10 € – café");
            assertThat(doc.metadata()).containsEntry("charset", "windows-1252");
            // 0x81 is undefined in windows-1252: the file is then read as ISO-8859-1
            byte[] latin1 = {'a', (byte) 0x81, (byte) 0xE9};
            ExtractedDocument latin = extractor.extract(source("f.txt", "text/plain", latin1));
            assertThat(latin.metadata()).containsEntry("charset", "ISO-8859-1");
            assertThat(latin.text()).isEqualTo("aé"); // the C1 control is dropped
        }

        @Test
        void refusesBinaryContent() {
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
            ExtractionException e = failure(extractor, source("image.txt", "text/plain", png));
            assertThat(e.code()).isEqualTo("document_type_mismatch");
            assertThat(e.getMessage()).contains("image.txt").contains("binary");
            ExtractionException pdf = failure(extractor, source("doc.txt", "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj"));
            assertThat(pdf.getMessage()).contains("a PDF file");
        }

        @Test
        void enforcesTheInputLimitOnDeclaredAndOnActualSize() {
            TextExtractor small = new TextExtractor(Map.of("maxInputBytes", "100"));
            ExtractionException declared = failure(small, source("big.txt", "x".repeat(101)));
            assertThat(declared.code()).isEqualTo("document_limit");
            assertThat(declared.getMessage()).contains("big.txt").contains("100 bytes");
            // a source that claims to be small but is not
            byte[] bytes = "y".repeat(5000).getBytes(StandardCharsets.US_ASCII);
            DocumentSource liar = new DocumentSource("liar.txt", "text/plain", 10, () -> new ByteArrayInputStream(bytes));
            assertThat(failure(small, liar).code()).isEqualTo("document_limit");
        }

        @Test
        void enforcesTheTextLimit() {
            TextExtractor small = new TextExtractor(Map.of("maxTextChars", 50));
            ExtractionException e = failure(small, source("long.txt", "word ".repeat(20)));
            assertThat(e.code()).isEqualTo("document_limit");
            assertThat(e.getMessage()).contains("50 characters");
            assertThat(small.extract(source("short.txt", "word ".repeat(9))).text()).hasSize(44);
        }
    }

    @Nested
    class Markdown {
        private final MarkdownExtractor extractor = new MarkdownExtractor(Map.of());

        @Test
        void keepsHeadingsAndCodeAndTurnsLinksIntoText() {
            String md = """
                    # Install guide

                    Read the [full manual](https://example.com/manual "Manual") first, *carefully*.
                    ![diagram of the setup](setup.png)

                    ## Steps
                    1. Download
                    2. Unpack `weft.zip`

                    - one
                    - two

                    ```bash
                    ./bin/weft start
                    echo done
                    ```

                    > quoted <b>bold</b> text

                    <div class="note">An <em>HTML</em> block</div>
                    """;
            ExtractedDocument doc = extractor.extract(source("guide.md", md));
            assertThat(doc.text()).isEqualTo("""
                    # Install guide

                    Read the full manual first, carefully.
                    diagram of the setup

                    ## Steps

                    1. Download
                    2. Unpack weft.zip

                    - one
                    - two

                    ```bash
                    ./bin/weft start
                    echo done
                    ```

                    quoted bold text

                    An HTML block""");
            assertThat(doc.text()).doesNotContain("https://example.com");
            assertThat(doc.metadata()).containsEntry("title", "Install guide");
        }

        @Test
        void stopsAtTheTextLimit() {
            MarkdownExtractor small = new MarkdownExtractor(Map.of("maxTextChars", 100));
            assertThat(failure(small, source("big.md", "# T\n\n" + "para\n\n".repeat(100))).code())
                    .isEqualTo("document_limit");
        }

        @Test
        void deeplyNestedQuotesFailCleanly() {
            String nested = ">".repeat(50_000) + " deep";
            try {
                ExtractedDocument doc = extractor.extract(source("deep.md", nested));
                assertThat(doc.text()).contains("deep");
            } catch (ExtractionException e) {
                assertThat(e.code()).isIn("document_limit", "document_unreadable");
            }
        }
    }

    @Nested
    class Html {
        private final HtmlExtractor extractor = new HtmlExtractor(Map.of());

        @Test
        void readsVisibleTextInParagraphs() {
            String html = """
                    <!DOCTYPE html>
                    <html lang="en"><head><title>Quarterly report</title>
                    <meta name="description" content="Q3 numbers">
                    <style>body { color: red }</style><script>var secret = "SCRIPT";</script></head>
                    <body>
                    <noscript>NOSCRIPT</noscript><template><p>TEMPLATE</p></template>
                    <h1>Results</h1>
                    <p>Revenue   grew
                       by <b>12%</b>.<br>Costs fell.</p>
                    <div hidden>HIDDEN</div><span style="display: none">INVISIBLE</span>
                    <ul><li>North</li><li>South</li></ul>
                    <table><tr><th>Region</th><th>Sales</th></tr><tr><td>North</td><td>10</td></tr></table>
                    <pre>line 1
                      line 2</pre>
                    <script>document.write("SCRIPT2")</script>
                    </body></html>
                    """;
            ExtractedDocument doc = extractor.extract(source("report.html", "text/html", html.getBytes(StandardCharsets.UTF_8)));
            assertThat(doc.text()).isEqualTo("""
                    # Results

                    Revenue grew by 12%.
                    Costs fell.

                    - North
                    - South

                    Region | Sales
                    North | 10

                    line 1
                      line 2""");
            assertThat(doc.text()).doesNotContain("SCRIPT", "NOSCRIPT", "TEMPLATE", "HIDDEN", "INVISIBLE", "color");
            assertThat(doc.metadata()).containsEntry("title", "Quarterly report")
                    .containsEntry("description", "Q3 numbers").containsEntry("language", "en");
        }

        @Test
        void honoursTheDeclaredCharsetAndDetectsOtherwise() {
            byte[] declared = "<html><head><meta charset=\"windows-1252\"></head><body><p>café €</p></body></html>"
                    .getBytes(Charset.forName("windows-1252"));
            assertThat(extractor.extract(source("a.html", "text/html", declared)).text()).isEqualTo("café €");
            byte[] undeclared = "<p>déjà vu</p>".getBytes(Charset.forName("windows-1252"));
            assertThat(extractor.extract(source("b.htm", "text/html", undeclared)).text()).isEqualTo("déjà vu");
        }

        @Test
        void refusesAPdfNamedHtml() {
            assertThat(failure(extractor, source("page.html", "%PDF-1.4\n")).code()).isEqualTo("document_type_mismatch");
        }
    }

    @Nested
    class Csv {
        private final CsvExtractor extractor = new CsvExtractor(Map.of());

        @Test
        void writesOneLabelledParagraphPerRecord() {
            String csv = "name,price,notes\r\nWidget,12.50,\"small, blue\"\r\nGadget,,\"two\nlines\"\r\n\r\n";
            ExtractedDocument doc = extractor.extract(source("items.csv", csv));
            assertThat(doc.text()).isEqualTo("name: Widget; price: 12.50; notes: small, blue\n\nname: Gadget; notes: two lines");
            assertThat(doc.metadata()).containsEntry("columns", List.of("name", "price", "notes"))
                    .containsEntry("record_count", 2L).containsEntry("delimiter", ",");
        }

        @Test
        void sniffsSemicolonAndTab() {
            String semi = "Name;Preis;Ort\nTisch;12,50;\"Köln; Mitte\"\nStuhl;3,10;Bonn\n";
            ExtractedDocument doc = extractor.extract(source("de.csv", semi));
            assertThat(doc.text()).startsWith("Name: Tisch; Preis: 12,50; Ort: Köln; Mitte\n\n");
            assertThat(doc.metadata()).containsEntry("delimiter", ";");
            String tsv = "a\tb\n1,5\t2\n";
            ExtractedDocument t = extractor.extract(source("t.tsv", tsv));
            assertThat(t.text()).isEqualTo("a: 1,5; b: 2");
            assertThat(t.metadata()).containsEntry("delimiter", "\t");
        }

        @Test
        void namesMissingHeadersAndExtraColumns() {
            ExtractedDocument doc = extractor.extract(source("x.csv", "id,\n1,one,extra\n"));
            assertThat(doc.text()).isEqualTo("id: 1; column 2: one; column 3: extra");
        }

        @Test
        void honoursAConfiguredDelimiter() {
            CsvExtractor semicolon = new CsvExtractor(Map.of("delimiter", ";"));
            assertThat(semicolon.extract(source("y.csv", "a,b;c\n1,2;3\n")).text()).isEqualTo("a,b: 1,2; c: 3");
        }

        @Test
        void enforcesTheTextLimit() {
            CsvExtractor small = new CsvExtractor(Map.of("maxTextChars", 200));
            assertThat(failure(small, source("z.csv", "k,v\n" + "key,value\n".repeat(100))).code())
                    .isEqualTo("document_limit");
        }
    }

    @Nested
    class Json {
        private final JsonExtractor extractor = new JsonExtractor(Map.of());

        @Test
        void prettyPrintsAnObject() {
            ExtractedDocument doc = extractor.extract(source("a.json", "{\"name\":\"Weft\",\"tags\":[\"rag\",\"osgi\"]}"));
            assertThat(doc.text()).isEqualTo("""
                    {
                      "name" : "Weft",
                      "tags" : [ "rag", "osgi" ]
                    }""");
            assertThat(doc.metadata()).containsEntry("top_level", "object");
        }

        @Test
        void givesOneParagraphPerArrayElement() {
            ExtractedDocument doc = extractor.extract(source("b.json", "[{\"q\":\"Why?\",\"a\":\"Because.\"}, \"plain text\", 42]"));
            assertThat(doc.text()).isEqualTo("""
                    {
                      "q" : "Why?",
                      "a" : "Because."
                    }

                    plain text

                    42""");
            assertThat(doc.metadata()).containsEntry("top_level", "array").containsEntry("element_count", 3);
        }

        @Test
        void reportsWhereJsonIsInvalid() {
            ExtractionException e = failure(extractor, source("bad.json", "{\n  \"a\": 1,\n  \"b\": }"));
            assertThat(e.code()).isEqualTo("document_unreadable");
            assertThat(e.getMessage()).contains("bad.json").contains("line 3");
        }

        @Test
        void refusesExcessiveNesting() {
            ExtractionException e = failure(extractor, source("deep.json", "[".repeat(5000) + "]".repeat(5000)));
            assertThat(e.code()).isIn("document_unreadable", "document_limit");
        }
    }

    @Test
    void descriptorsDescribeTheirConfiguration() {
        var descriptors = List.of(TextExtractor.DESCRIPTOR, MarkdownExtractor.DESCRIPTOR, HtmlExtractor.DESCRIPTOR,
                PdfExtractor.DESCRIPTOR, DocxExtractor.DESCRIPTOR, XlsxExtractor.DESCRIPTOR, CsvExtractor.DESCRIPTOR,
                JsonExtractor.DESCRIPTOR);
        assertThat(descriptors).extracting(d -> d.id()).containsExactly("txt", "markdown", "html", "pdf", "docx", "xlsx", "csv", "json");
        assertThat(TextExtractor.DESCRIPTOR.fileExtensions()).containsExactlyInAnyOrder("txt", "text", "log");
        assertThat(MarkdownExtractor.DESCRIPTOR.fileExtensions()).containsExactlyInAnyOrder("md", "markdown");
        assertThat(HtmlExtractor.DESCRIPTOR.fileExtensions()).containsExactlyInAnyOrder("html", "htm");
        for (var d : descriptors) {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) d.configSchema().get("properties");
            assertThat(properties).containsKeys("maxInputBytes", "maxTextChars");
            assertThat(d.mediaTypes()).isNotEmpty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> docx = (Map<String, Object>) DocxExtractor.DESCRIPTOR.configSchema().get("properties");
        assertThat(docx).containsKeys("maxEntries", "maxEntryBytes", "maxUncompressedBytes", "minInflateRatio",
                "includeHeadersFooters");
    }

    @Test
    void badConfigurationFailsActivationWithAClearMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TextExtractor(Map.of("maxInputBytes", "lots")))
                .hasMessageContaining("maxInputBytes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CsvExtractor(Map.of("delimiter", "|")))
                .hasMessageContaining("delimiter");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DocxExtractor(Map.of("minInflateRatio", 5)))
                .hasMessageContaining("minInflateRatio");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
