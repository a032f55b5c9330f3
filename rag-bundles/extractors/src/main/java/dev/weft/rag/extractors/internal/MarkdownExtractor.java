package dev.weft.rag.extractors.internal;

import dev.weft.spi.rag.DocumentExtractor;
import dev.weft.spi.rag.DocumentSource;
import dev.weft.spi.rag.ExtractedDocument;
import dev.weft.spi.rag.ExtractionException;
import dev.weft.spi.rag.ExtractorDescriptor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;
import org.jsoup.Jsoup;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Markdown, parsed by commonmark and written back as plain paragraphs:
 * <ul>
 * <li>headings stay lines of their own, with their {@code #} markers, so a chunker (and an LLM)
 * still sees the document's outline;</li>
 * <li>code blocks are kept verbatim inside {@code ```} fences;</li>
 * <li>links become their text and images their alt text (URLs are noise for retrieval);</li>
 * <li>list items keep a {@code -} or {@code 1.} marker; inline HTML is reduced to its text.</li>
 * </ul>
 * The first level-1 heading is reported as the title.
 */
@Component(service = DocumentExtractor.class, configurationPid = "dev.weft.rag.extractors.markdown")
public final class MarkdownExtractor extends AbstractExtractor {

    static final ExtractorDescriptor DESCRIPTOR = new ExtractorDescriptor("markdown", "1", "Markdown",
            "Reads Markdown (CommonMark): headings, paragraphs, lists and code blocks as text; links as their text.",
            Settings.schema(Map.of()), Set.of("text/markdown", "text/x-markdown"), Set.of("md", "markdown"));

    private static final Parser PARSER = Parser.builder().build();

    @Activate
    public MarkdownExtractor(Map<String, Object> properties) {
        super(DESCRIPTOR, new Settings(properties), "a Markdown file");
    }

    @Override
    ExtractedDocument read(DocumentSource source, TextOut out) throws IOException {
        byte[] bytes = Input.readAll(source, limits().maxInputBytes());
        requireText(source, bytes, "a Markdown file");
        Node document = PARSER.parse(Charsets.decode(bytes).text());
        Writer writer = new Writer(out);
        document.accept(writer);
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (writer.title != null) {
            metadata.put("title", writer.title);
        }
        return new ExtractedDocument(out.text(), metadata);
    }

    /** Walks the tree and writes text; {@link ExtractionException} (unchecked) stops it at the text limit. */
    private static final class Writer extends AbstractVisitor {
        private final TextOut out;
        private String title;

        Writer(TextOut out) {
            this.out = out;
        }

        private void write(CharSequence s) {
            out.append(s);
        }

        private void block(Runnable body) {
            paragraphBreak();
            body.run();
            paragraphBreak();
        }

        private void paragraphBreak() {
            write("\n\n");
        }

        private static String literal(Node node) {
            StringBuilder sb = new StringBuilder();
            for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                if (child instanceof Text text) {
                    sb.append(text.getLiteral());
                } else if (child instanceof Code code) {
                    sb.append(code.getLiteral());
                } else {
                    sb.append(literal(child));
                }
            }
            return sb.toString();
        }

        @Override
        public void visit(Heading heading) {
            block(() -> {
                write("#".repeat(heading.getLevel()) + " ");
                visitChildren(heading);
                if (title == null && heading.getLevel() == 1) {
                    title = literal(heading).strip();
                }
            });
        }

        @Override
        public void visit(Paragraph paragraph) {
            block(() -> visitChildren(paragraph));
        }

        @Override
        public void visit(FencedCodeBlock code) {
            block(() -> write("```" + code.getInfo() + "\n" + code.getLiteral() + "```"));
        }

        @Override
        public void visit(IndentedCodeBlock code) {
            block(() -> write("```\n" + code.getLiteral() + "```"));
        }

        @Override
        public void visit(BulletList list) {
            block(() -> visitChildren(list));
        }

        @Override
        public void visit(OrderedList list) {
            block(() -> visitChildren(list));
        }

        @Override
        public void visit(ListItem item) {
            out.newline();
            Node parent = item.getParent();
            if (parent instanceof OrderedList ordered) {
                int index = 0;
                for (Node n = parent.getFirstChild(); n != null && n != item; n = n.getNext()) {
                    index++;
                }
                Integer start = ordered.getMarkerStartNumber();
                write(((start == null ? 1 : start) + index) + ". ");
            } else {
                write("- ");
            }
            // paragraphs inside a tight list item stay on the item's line
            for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
                if (child instanceof Paragraph) {
                    visitChildren(child);
                    write("\n");
                } else {
                    child.accept(this);
                }
            }
        }

        @Override
        public void visit(BlockQuote quote) {
            block(() -> visitChildren(quote));
        }

        @Override
        public void visit(ThematicBreak thematicBreak) {
            paragraphBreak();
        }

        @Override
        public void visit(HtmlBlock html) {
            block(() -> write(Jsoup.parse(html.getLiteral()).text()));
        }

        @Override
        public void visit(HtmlInline html) {
            // a lone tag such as <br> or <span>: nothing to read
        }

        @Override
        public void visit(Text text) {
            write(text.getLiteral());
        }

        @Override
        public void visit(Code code) {
            write(code.getLiteral());
        }

        @Override
        public void visit(Image image) {
            visitChildren(image); // the alt text
        }

        @Override
        public void visit(SoftLineBreak softLineBreak) {
            write("\n");
        }

        @Override
        public void visit(HardLineBreak hardLineBreak) {
            write("\n");
        }
    }
}
