package dev.weft.rag.extractors.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Finds the character set of a text file that does not say, in this order:
 * <ol>
 * <li>a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);</li>
 * <li>UTF-16 without a mark, when every other byte of the start is NUL (ASCII text in UTF-16);</li>
 * <li>UTF-8, when the whole file is valid UTF-8 (ASCII included): legacy 8-bit text with
 * accented letters is almost never valid UTF-8 by accident;</li>
 * <li>otherwise windows-1252, the de-facto superset of ISO-8859-1 that Western files and HTML 5
 * mean by "latin1"; ISO-8859-1 when one of the five bytes windows-1252 leaves undefined
 * occurs.</li>
 * </ol>
 * Statistical guessing of other legacy encodings (Shift-JIS, GBK, KOI8) is left out: it needs a
 * detector library and still guesses wrong on short files.
 */
final class Charsets {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    static final Charset UTF_32BE = Charset.forName("UTF-32BE");
    static final Charset UTF_32LE = Charset.forName("UTF-32LE");

    private Charsets() {
    }

    /** The text and the character set it was decoded with. */
    record Decoded(String text, Charset charset) {
    }

    static Decoded decode(byte[] bytes) {
        Bom bom = bom(bytes, bytes.length);
        if (bom != null) {
            return new Decoded(new String(bytes, bom.length, bytes.length - bom.length, bom.charset), bom.charset);
        }
        Charset utf16 = utf16WithoutBom(bytes, bytes.length);
        if (utf16 != null) {
            return new Decoded(new String(bytes, utf16), utf16);
        }
        String utf8 = strictUtf8(bytes);
        if (utf8 != null) {
            return new Decoded(utf8, StandardCharsets.UTF_8);
        }
        Charset legacy = hasUndefined1252(bytes) ? StandardCharsets.ISO_8859_1 : WINDOWS_1252;
        return new Decoded(new String(bytes, legacy), legacy);
    }

    /** A byte order mark at the start, or null. */
    static Bom bom(byte[] b, int n) {
        if (n >= 4 && u(b[0]) == 0xFF && u(b[1]) == 0xFE && b[2] == 0 && b[3] == 0) {
            return new Bom(UTF_32LE, 4);
        }
        if (n >= 4 && b[0] == 0 && b[1] == 0 && u(b[2]) == 0xFE && u(b[3]) == 0xFF) {
            return new Bom(UTF_32BE, 4);
        }
        if (n >= 3 && u(b[0]) == 0xEF && u(b[1]) == 0xBB && u(b[2]) == 0xBF) {
            return new Bom(StandardCharsets.UTF_8, 3);
        }
        if (n >= 2 && u(b[0]) == 0xFF && u(b[1]) == 0xFE) {
            return new Bom(StandardCharsets.UTF_16LE, 2);
        }
        if (n >= 2 && u(b[0]) == 0xFE && u(b[1]) == 0xFF) {
            return new Bom(StandardCharsets.UTF_16BE, 2);
        }
        return null;
    }

    /** UTF-16 LE or BE when the first bytes alternate NUL and non-NUL (ASCII text), else null. */
    static Charset utf16WithoutBom(byte[] b, int n) {
        int pairs = Math.min(n, 512) / 2;
        if (pairs < 2) {
            return null;
        }
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < pairs * 2; i += 2) {
            if (b[i] == 0) {
                evenNul++;
            }
            if (b[i + 1] == 0) {
                oddNul++;
            }
        }
        if (oddNul >= pairs * 0.9 && evenNul == 0) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenNul >= pairs * 0.9 && oddNul == 0) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    /** The bytes decoded as UTF-8, or null if they are not valid UTF-8. */
    static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean hasUndefined1252(byte[] bytes) {
        for (byte value : bytes) {
            int v = u(value);
            if (v == 0x81 || v == 0x8D || v == 0x8F || v == 0x90 || v == 0x9D) {
                return true;
            }
        }
        return false;
    }

    private static int u(byte b) {
        return b & 0xFF;
    }

    record Bom(Charset charset, int length) {
    }
}
