package dev.weft.platform.registry.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The pluggable services currently registered, and which of them serves each id.
 */
final class ContributionTable {

    private final Map<Long, Contribution> byServiceId = new ConcurrentHashMap<>();

    void add(Contribution contribution) {
        byServiceId.put(contribution.serviceId(), contribution);
    }

    void remove(long serviceId) {
        byServiceId.remove(serviceId);
    }

    /**
     * The contributions of a kind, grouped by id in id order, each group in precedence order: the
     * first of each group serves.
     */
    List<Ranked> ranked(Kind kind) {
        Map<String, List<Contribution>> byId = byServiceId.values().stream()
                .filter(c -> c.kind() == kind)
                .collect(Collectors.groupingBy(Contribution::id));
        List<Ranked> ranked = new ArrayList<>();
        byId.keySet().stream().sorted().forEach(id -> {
            List<Contribution> group = new ArrayList<>(byId.get(id));
            group.sort(Contribution.PRECEDENCE);
            for (int i = 0; i < group.size(); i++) {
                ranked.add(new Ranked(group.get(i), i > 0));
            }
        });
        return ranked;
    }

    /** The contribution serving an id. */
    Optional<Contribution> serving(Kind kind, String id) {
        return byServiceId.values().stream()
                .filter(c -> c.kind() == kind && c.id().equals(id))
                .min(Contribution.PRECEDENCE);
    }

    /** The contributions of one bundle, by kind then id. */
    List<Contribution> ofBundle(long bundleId) {
        return byServiceId.values().stream()
                .filter(c -> c.bundleId() == bundleId)
                .sorted(Comparator.comparing(Contribution::kind).thenComparing(Contribution::id))
                .toList();
    }

    /** A contribution and whether another of the same id serves instead. */
    record Ranked(Contribution contribution, boolean shadowed) {
    }
}
