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
        int count;
        try {
            count = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (count < 0 || count > MAX_FIELDS) {
            throw new IOException("corrupt frame: " + count + " fields");
        }
        List<String> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > MAX_FIELD_BYTES) {
                throw new IOException("corrupt frame: a field of " + length + " bytes");
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            fields.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return fields;
    }
}
