package dev.weft.platform.models.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's fallback chains: which models answer, in order, when a model fails in a way
 * another model may not share (the vendor down, rate limited, the key refused, the model gone).
 *
 * <p>Each entry reads {@code <model> -> <provider>/<model>, <provider>/<model>}; the left side is a
 * model name, a {@code provider/model}, or {@code *} for every model without a chain of its own.
 * Provider ids may be Weft's or Dify's. Entries that do not parse are reported and ignored.
 */
final class FallbackChains {

    private final Map<String, List<String>> chains;

    private FallbackChains(Map<String, List<String>> chains) {
        this.chains = chains;
    }

    static FallbackChains parse(String[] entries) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int arrow = entry.indexOf("->");
            if (arrow <= 0) {
                throw new IllegalArgumentException("a fallback chain reads 'model -> provider/model, ...': " + entry.strip());
            }
            String from = entry.substring(0, arrow).strip().toLowerCase(Locale.ROOT);
            List<String> to = new ArrayList<>();
            for (String target : entry.substring(arrow + 2).split(",")) {
                String t = target.strip();
                int slash = t.indexOf('/');
                if (slash <= 0 || slash == t.length() - 1) {
                    throw new IllegalArgumentException("a fallback is 'provider/model': " + t + " in " + entry.strip());
                }
                to.add(t);
            }
            if (from.isEmpty() || to.isEmpty()) {
                throw new IllegalArgumentException("a fallback chain needs a model and at least one fallback: " + entry.strip());
            }
            chains.putIfAbsent(from, List.copyOf(to));
        }
        return new FallbackChains(chains);
    }

    /** The fallbacks of a model, in order; empty when it has none. */
    List<String> next(String provider, String model) {
        String name = model.toLowerCase(Locale.ROOT);
        List<String> chain = chains.get(provider.toLowerCase(Locale.ROOT) + "/" + name);
        if (chain == null) {
            chain = chains.get(name);
        }
        if (chain == null) {
            chain = chains.get("*");
        }
        return chain == null ? List.of() : chain;
    }
}
