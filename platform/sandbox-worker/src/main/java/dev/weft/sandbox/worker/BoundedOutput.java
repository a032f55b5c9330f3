package dev.weft.sandbox.worker;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the first bytes a guest prints, up to a limit, and counts the rest. */
final class BoundedOutput extends OutputStream {

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long dropped;

    BoundedOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        if (kept.size() < limit) {
            kept.write(b);
        } else {
            dropped++;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = Math.max(0, limit - kept.size());
        int keep = Math.min(room, len);
        kept.write(b, off, keep);
        dropped += len - keep;
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
        return dropped > 0;
    }
}
