package dev.weft.node.logic.internal;

import java.util.Map;

/** The attributes of Dify file values that conditions and list operations look at. */
final class FileAttributes {

    private FileAttributes() {
    }

    /** A file's attribute: {@code name} (the file name), {@code type}, {@code size}, {@code extension}... */
    static Object of(Object file, String attribute) {
        if (!(file instanceof Map<?, ?> map)) {
            return null;
        }
        Object value = switch (attribute) {
            case "name" -> map.containsKey("filename") ? map.get("filename") : map.get("name");
            default -> map.get(attribute);
        };
        if (attribute.equals("extension") && value instanceof String extension && !extension.isEmpty()
                && !extension.startsWith(".")) {
            return "." + extension;
        }
        return value;
    }

    /** Extensions compare with a leading dot, whichever way they were written. */
    static Object expected(String attribute, Object expected) {
        if (!attribute.equals("extension")) {
            return expected;
        }
        if (expected instanceof java.util.List<?> list) {
            return list.stream().map(item -> dotted(item)).toList();
        }
        return dotted(expected);
    }

    private static Object dotted(Object extension) {
        return extension instanceof String text && !text.isEmpty() && !text.startsWith(".") ? "." + text : extension;
    }
}
