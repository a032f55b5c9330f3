package dev.weft.sandbox.worker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format between the platform and a worker, over the worker's standard input and output:
 * a frame is a field count, then each field as a byte length and UTF-8 bytes. Shared by both sides
 * (the sandbox bundle carries a copy of this class).
 */
public final class Frames {

    /** No frame or field is larger: a guard against a corrupted stream. */
    public static final int MAX_FIELD_BYTES = 256 * 1024 * 1024;
    public static final int MAX_FIELDS = 64;

    private Frames() {
    }

    public static void write(DataOutputStream out, List<String> fields) throws IOException {
        out.writeInt(fields.size());
        for (String field : fields) {
            byte[] bytes = (field == null ? "" : field).getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        out.flush();
    }

    /** Reads one frame; null at the end of the stream. */
    public static List<String> read(DataInputStream in) throws IOException {
        return read(in, MAX_FIELDS, (long) MAX_FIELDS * MAX_FIELD_BYTES);
    }

    /**
     * Reads one frame of at most {@code maxFields} fields and {@code maxBytes} bytes in all; null at
     * the end of the stream. A frame over either limit is refused before its fields are read.
     */
    public static List<String> read(DataInputStream in, int maxFields, long maxBytes) throws IOException {
        int count;
        try {
            count = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (count < 0 || count > Math.min(maxFields, MAX_FIELDS)) {
            throw new IOException("corrupt frame: " + count + " fields");
        }
        List<String> fields = new ArrayList<>(count);
        long total = 0;
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            total += length;
            if (length < 0 || length > MAX_FIELD_BYTES || total > maxBytes) {
                throw new IOException("corrupt frame: a field of " + length + " bytes");
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            fields.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return fields;
    }
}
