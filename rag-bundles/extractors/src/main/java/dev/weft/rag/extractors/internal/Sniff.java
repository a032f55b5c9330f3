package dev.weft.rag.extractors.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decides what a file's first bytes look like, so that an extractor refuses a file whose content
 * is not of its kind (SEC-37: the type is decided by the bytes, not by the name).
 *
 * <p>Only what the extractors need to tell apart is recognised: PDF, ZIP (OOXML), OLE2 (legacy
 * Office and encrypted OOXML), a few common binary formats, HTML, and "other text".
 */
enum Sniff {
    PDF("a PDF file"),
    ZIP("a ZIP archive (such as DOCX or XLSX)"),
    OLE2("a legacy Office file (.doc, .xls) or a password-protected Office document"),
    BINARY("binary data (an image, an executable or another non-text format)"),
    HTML("an HTML page"),
    TEXT("text");

    private static final int HEAD = 8192;

    private final String description;

    Sniff(String description) {
        this.description = description;
    }

    /** What a file of this kind is called in messages. */
    String description() {
        return description;
    }

    static Sniff of(byte[] bytes) {
        return of(bytes, bytes.length);
    }

    static Sniff of(byte[] bytes, int length) {
        int n = Math.min(length, HEAD);
        if (startsWith(bytes, n, 0x50, 0x4B, 0x03, 0x04) || startsWith(bytes, n, 0x50, 0x4B, 0x05, 0x06)) {
            return ZIP;
        }
        if (startsWith(bytes, n, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return OLE2;
        }
        // the PDF header may follow a little garbage; readers accept it within the first 1024 bytes
        if (indexOf(bytes, Math.min(n, 1024), "%PDF-".getBytes(StandardCharsets.US_ASCII)) >= 0) {
            return PDF;
        }
        if (isBinaryMagic(bytes, n) || looksBinary(bytes, n)) {
            return BINARY;
        }
        String head = new String(bytes, 0, Math.min(n, 1024), StandardCharsets.ISO_8859_1)
                .replace("\u00EF\u00BB\u00BF", "").stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head")
                || head.startsWith("<body") || (head.startsWith("<") && head.contains("<script"))) {
            return HTML;
        }
        return TEXT;
    }

    private static boolean isBinaryMagic(byte[] b, int n) {
        return startsWith(b, n, 0x89, 'P', 'N', 'G') // PNG
                || startsWith(b, n, 0xFF, 0xD8, 0xFF) // JPEG
                || startsWith(b, n, 'G', 'I', 'F', '8') // GIF
                || startsWith(b, n, 0x7F, 'E', 'L', 'F') // ELF
                || startsWith(b, n, 'M', 'Z') && n > 64 && looksBinary(b, n) // Windows executable
                || startsWith(b, n, 0x1F, 0x8B) // gzip
                || startsWith(b, n, 'R', 'a', 'r', '!') // RAR
                || startsWith(b, n, '7', 'z', 0xBC, 0xAF); // 7-Zip
    }

    /**
     * NUL bytes do not occur in text, except in UTF-16/32, which is recognised by its byte order
     * mark or by NULs in every other position.
     */
    private static boolean looksBinary(byte[] b, int n) {
        if (Charsets.bom(b, n) != null || Charsets.utf16WithoutBom(b, n) != null) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int n, int... magic) {
        if (n < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int n, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
