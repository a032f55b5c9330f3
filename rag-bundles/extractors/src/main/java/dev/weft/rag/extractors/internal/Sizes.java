package dev.weft.rag.extractors.internal;

/** Sizes and counts as people read them in error messages. */
final class Sizes {

    private Sizes() {
    }

    static String human(long bytes) {
        if (bytes >= Settings.MB && bytes % Settings.MB == 0) {
            return bytes / Settings.MB + " MB";
        }
        if (bytes >= Settings.MB) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) Settings.MB);
        }
        if (bytes >= 1024) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }

    static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
