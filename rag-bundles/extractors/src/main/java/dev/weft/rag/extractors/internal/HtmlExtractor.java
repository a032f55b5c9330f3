package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * HTML pages: the text a reader sees, parsed by jsoup (which never fetches anything).
 *
 * <ul>
 * <li>Dropped: {@code head} (its title becomes metadata), {@code script}, {@code style},
 * {@code noscript}, {@code template}, embedded objects, {@code svg}, and elements marked
 * {@code hidden} or {@code aria-hidden="true"} or styled {@code display:none}.</li>
 * <li>Block elements become paragraphs; headings keep {@code #} markers as in Markdown; list items
 * become {@code - } lines; a table row becomes one line with cells separated by {@code " | "};
 * {@code pre} keeps its line breaks; {@code br} is a line break.</li>
 * </ul>
 * The character set comes from a byte order mark, else the page's own {@code <meta charset>},
 * else {@link Charsets}'s detection.
 */
@Component(service = DocumentExtractor.class, configurationPid = "dev.weft.rag.extractors.html")
public final class HtmlExtractor extends AbstractExtractor {

    static final ExtractorDescriptor DESCRIPTOR = new ExtractorDescriptor("html", "1", "HTML",
            "Reads the visible text of web pages: scripts, styles and hidden parts are left out.",
            Settings.schema(Map.of()), Set.of("text/html", "application/xhtml+xml"), Set.of("html", "htm"));

    private static final Set<String> DROPPED = Set.of("head", "script", "style", "noscript", "template",
            "svg", "math", "iframe", "frame", "frameset", "object", "embed", "canvas", "audio", "video", "map",
            "select", "datalist", "dialog");
    private static final Set<String> TABLE_PARTS = Set.of("thead", "tbody", "tfoot", "tr", "colgroup", "col");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern DISPLAY_NONE = Pattern.compile("display\\s*:\\s*none|visibility\\s*:\\s*hidden");
    private static final Pattern META_CHARSET = Pattern.compile("<meta[^>]+charset", Pattern.CASE_INSENSITIVE);

    @Activate
    public HtmlExtractor(Map<String, Object> properties) {
        super(DESCRIPTOR, new Settings(properties), "an HTML page");
    }

    @Override
    ExtractedDocument read(DocumentSource source, TextOut out) throws IOException {
        byte[] bytes = Input.readAll(source, limits().maxInputBytes());
        requireText(source, bytes, "an HTML page");
        Document document = parse(bytes);
        NodeTraversor.filter(new Walker(out), document.body() == null ? document : document.body());
        Map<String, Object> metadata = new LinkedHashMap<>();
        putIfPresent(metadata, "title", document.title());
        Element description = document.selectFirst("meta[name=description]");
        putIfPresent(metadata, "description", description == null ? null : description.attr("content"));
        Element html = document.selectFirst("html");
        putIfPresent(metadata, "language", html == null ? null : html.attr("lang"));
        return new ExtractedDocument(out.text(), metadata);
    }

    private static Document parse(byte[] bytes) throws IOException {
        boolean declares = Charsets.bom(bytes, bytes.length) != null || META_CHARSET.matcher(
                new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1)).find();
        if (declares) {
            return Jsoup.parse(new ByteArrayInputStream(bytes), null, "");
        }
        return Jsoup.parse(Charsets.decode(bytes).text(), "");
    }

    private static void putIfPresent(Map<String, Object> metadata, String key, String value) {
        if (value != null && !value.isBlank()) {
            metadata.put(key, TextOut.clean(value).strip());
        }
    }

    private static boolean hidden(Element e) {
        return e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden"))
                || DISPLAY_NONE.matcher(e.attr("style").toLowerCase(Locale.ROOT)).find();
    }

    /** Writes text nodes and turns element boundaries into line and paragraph breaks. */
    private static final class Walker implements NodeFilter {
        private final TextOut out;
        private int pre;

        Walker(TextOut out) {
            this.out = out;
        }

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode text) {
                writeText(text);
                return FilterResult.CONTINUE;
            }
            if (!(node instanceof Element e)) {
                return FilterResult.CONTINUE;
            }
            String name = e.normalName();
            if (DROPPED.contains(name) || hidden(e)) {
                return FilterResult.SKIP_ENTIRELY;
            }
            switch (name) {
                case "br" -> out.newline();
                case "td", "th" -> {
                    if (e.elementSiblingIndex() > 0) {
                        out.append(" | ");
                    }
                }
                case "li" -> out.newline().append("- ");
                case "h1", "h2", "h3", "h4", "h5", "h6" -> out.endParagraph().append("#".repeat(name.charAt(1) - '0') + " ");
                case "pre" -> {
                    out.endParagraph();
                    pre++;
                }
                default -> {
                    if (TABLE_PARTS.contains(name)) {
                        out.newline();
                    } else if (e.isBlock()) {
                        out.endParagraph();
                    }
                }
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element e) {
                String name = e.normalName();
                if (name.equals("pre")) {
                    pre--;
                    out.endParagraph();
                } else if (name.equals("li") || TABLE_PARTS.contains(name)) {
                    out.newline();
                } else if (!name.equals("td") && !name.equals("th") && e.isBlock()) {
                    out.endParagraph();
                }
            }
            return FilterResult.CONTINUE;
        }

        private void writeText(TextNode node) {
            if (pre > 0) {
                out.append(node.getWholeText());
                return;
            }
            String text = SPACES.matcher(node.getWholeText()).replaceAll(" ");
            char last = out.lastChar();
            if (last == '\n' || last == ' ') {
                text = text.stripLeading();
            }
            out.append(text);
        }
    }
}
