package dev.weft.platform.knowledge.internal;

import dev.weft.api.core.WeftException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipFile;

/**
 * Decides what a stored file is from its bytes, with its name only telling apart the text formats
 * that bytes cannot (markdown, csv, json...). A name that claims a binary format the bytes are not
 * (an HTML page named report.pdf) is refused (SECURITY.md SEC-37).
 */
final class Sniffer {

    private static final Set<String> TEXT_KINDS = Set.of("txt", "text", "log", "md", "markdown", "mdx", "csv", "json",
            "html", "htm");

    private Sniffer() {
    }

    /** The file's kind, as a file extension ({@code pdf}, {@code docx}, {@code md}...). */
    static String kind(Path file, String fileName) throws IOException {
        String claimed = extension(fileName);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        String actual;
        if (startsWith(head, "%PDF-")) {
            actual = "pdf";
        } else if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            actual = officeKind(file);
        } else if (binary(head)) {
            throw new WeftException("unsupported_file_type", "the file's content is not a document Weft reads");
        } else {
            String text = new String(head, StandardCharsets.UTF_8).stripLeading().toLowerCase(Locale.ROOT);
            boolean html = text.startsWith("<!doctype html") || text.startsWith("<html") || text.startsWith("<head")
                    || text.startsWith("<body");
            if (TEXT_KINDS.contains(claimed)) {
                actual = html && !claimed.equals("html") && !claimed.equals("htm") && !claimed.equals("md") ? "html" : claimed;
            } else if (claimed.isEmpty() || claimed.equals("pdf") || claimed.equals("docx") || claimed.equals("xlsx")) {
                if (!claimed.isEmpty()) {
                    throw new WeftException("unsupported_file_type", "the file is named ." + claimed
                            + " but its content is " + (html ? "HTML" : "text"));
                }
                actual = html ? "html" : "txt";
            } else {
                throw new WeftException("unsupported_file_type", "files of type ." + claimed + " are not supported");
            }
        }
        if (!claimed.isEmpty() && (actual.equals("pdf") || actual.equals("docx") || actual.equals("xlsx"))
                && !claimed.equals(actual)) {
            throw new WeftException("unsupported_file_type", "the file is named ." + claimed + " but its content is ." + actual);
        }
        return actual;
    }

    private static String officeKind(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("word/document.xml") != null) {
                return "docx";
            }
            if (zip.getEntry("xl/workbook.xml") != null) {
                return "xlsx";
            }
        } catch (java.util.zip.ZipException e) {
            throw new WeftException("document_unreadable", "the file is a damaged archive");
        }
        throw new WeftException("unsupported_file_type", "the archive is not a Word or Excel document");
    }

    static String extension(String fileName) {
        String name = fileName == null ? "" : fileName.strip();
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean startsWith(byte[] head, String magic) {
        byte[] bytes = magic.getBytes(StandardCharsets.US_ASCII);
        if (head.length < bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (head[i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** NUL bytes in the first bytes mean binary (UTF-16 text with a BOM aside). */
    private static boolean binary(byte[] head) {
        if (head.length >= 2 && ((head[0] == (byte) 0xFF && head[1] == (byte) 0xFE) || (head[0] == (byte) 0xFE && head[1] == (byte) 0xFF))) {
            return false;
        }
        for (byte b : head) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    /** A name kept only as metadata: no path, no control or bidirectional-override characters, at most 255 characters. */
    static String cleanName(String fileName) {
        String name = fileName == null ? "" : fileName;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        StringBuilder clean = new StringBuilder();
        name.codePoints().filter(c -> !Character.isISOControl(c) && !(c >= 0x202A && c <= 0x202E)
                && !(c >= 0x2066 && c <= 0x2069) && c != 0x200E && c != 0x200F).forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        if (result.length() > 255) {
            String ext = extension(result);
            result = result.substring(0, 255 - ext.length() - 1) + "." + ext;
        }
        return result.isEmpty() ? "untitled" : result;
    }
}
