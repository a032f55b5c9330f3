package dev.weft.platform.registry.internal;

import java.util.Comparator;

/** Compares dotted version strings segment by segment, numerically where both segments are numbers. */
final class Versions {

    /** Lower versions first; {@code "1.10" > "1.9"}, {@code "2" > "1.9.9"}, {@code "1" == "1.0"}. */
    static final Comparator<String> ORDER = Versions::compare;

    private Versions() {
    }

    static int compare(String left, String right) {
        String[] a = left.split("[.\\-]");
        String[] b = right.split("[.\\-]");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "0";
            String y = i < b.length ? b[i] : "0";
            int order = isNumber(x) && isNumber(y)
                    ? new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y))
                    : x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    private static boolean isNumber(String segment) {
        return !segment.isEmpty() && segment.chars().allMatch(Character::isDigit);
    }
}
