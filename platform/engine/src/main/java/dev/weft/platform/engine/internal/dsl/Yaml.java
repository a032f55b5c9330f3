package dev.weft.platform.engine.internal.dsl;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads and writes DSL files as YAML, with the limits that keep a hostile file harmless: a size
 * cap, few aliases (an alias bomb fails at once), a nesting cap and no duplicate keys. Values come
 * out as JSON values: maps with string keys, lists, strings, numbers, booleans and nulls; dates
 * stay text. Writing is deterministic (keys sorted, block style), so equal documents give equal
 * bytes.
 */
public final class Yaml {

    /** The largest DSL file accepted, as Dify accepts. */
    public static final int MAX_BYTES = 10 * 1024 * 1024;
    static final int MAX_ALIASES = 20;
    static final int MAX_DEPTH = 100;

    private Yaml() {
    }

    /**
     * Parses a DSL file.
     *
     * @throws DslException with code {@code dsl_too_large} or {@code dsl_unparseable}
     */
    public static Object read(byte[] content) {
        if (content.length > MAX_BYTES) {
            throw new DslException("dsl_too_large", "the file is " + content.length + " bytes; the limit is "
                    + MAX_BYTES + " bytes (10 MB)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new DslException("dsl_unparseable", "the file is not UTF-8 text");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(new TextDates(options));
        try {
            return json(yaml.load(new StringReader(text)), 0);
        } catch (YAMLException | ClassCastException e) {
            throw new DslException("dsl_unparseable", "the file is not valid YAML: " + firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw new DslException("dsl_unparseable", "the file nests too deeply");
        }
    }

    /** Writes a JSON value as YAML: keys sorted, block style, multi-line text as literal blocks. */
    public static String write(Object document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setAllowUnicode(true);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(new LiteralText(options), options);
        return yaml.dump(sorted(document));
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new TreeMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), sorted(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(sorted(item)));
            return copy;
        }
        return value;
    }

    /** Keys become strings, big integers that fit become longs, other scalars stay as they are. */
    private static Object json(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new DslException("dsl_unparseable", "the file nests too deeply");
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(key == null ? "null" : String.valueOf(key), json(item, depth + 1)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(json(item, depth + 1)));
            return copy;
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return String.valueOf(d);
        }
        if (value instanceof byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        return value;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message).strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** Safe construction, with timestamps kept as the text they were written as. */
    private static final class TextDates extends SafeConstructor {
        TextDates(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }
    }

    /** Writes text with line breaks as literal blocks, for readable prompts and code. */
    private static final class LiteralText extends Representer {
        LiteralText(DumperOptions options) {
            super(options);
            Represent plain = this.representers.get(String.class);
            this.representers.put(String.class, data -> {
                String text = (String) data;
                if (text.indexOf('\n') >= 0 && literalSafe(text)) {
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL);
                }
                Node node = plain.representData(data);
                return node instanceof ScalarNode ? node : node;
            });
        }

        /** Literal blocks cannot carry trailing spaces on a line or most control characters faithfully. */
        private static boolean literalSafe(String text) {
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1))) {
                    return false;
                }
            }
            return text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t');
        }
    }
}
