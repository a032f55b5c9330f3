package dev.weft.platform.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spi.node.NodeDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContributionTableTest {

    private final ContributionTable table = new ContributionTable();
    private long serviceIds;

    @Test
    void should_serve_the_highest_node_type_version_and_shadow_the_others() {
        Contribution v1 = nodeType("example.text-case", "1", 10, "1.0.0");
        Contribution v2 = nodeType("example.text-case", "2", 11, "1.1.0");
        table.add(v1);
        table.add(v2);

        assertThat(table.serving(Kind.NODE_TYPE, "example.text-case")).contains(v2);
        assertThat(table.ranked(Kind.NODE_TYPE)).containsExactly(
                new ContributionTable.Ranked(v2, false), new ContributionTable.Ranked(v1, true));
    }

    @Test
    void should_break_ties_by_bundle_version_then_by_the_bundle_installed_first() {
        Contribution older = nodeType("if-else", "1", 20, "1.0.0");
        Contribution newer = nodeType("if-else", "1", 21, "1.2.0");
        Contribution sameVersionLater = nodeType("if-else", "1", 22, "1.2.0");
        table.add(sameVersionLater);
        table.add(older);
        table.add(newer);

        assertThat(table.serving(Kind.NODE_TYPE, "if-else")).contains(newer);
        assertThat(table.ranked(Kind.NODE_TYPE)).extracting(ContributionTable.Ranked::contribution)
                .containsExactly(newer, sameVersionLater, older);
    }

    @Test
    void should_let_the_shadowed_one_serve_again_when_the_winner_leaves() {
        Contribution v1 = nodeType("code", "1", 30, "1.0.0");
        Contribution v2 = nodeType("code", "2", 31, "2.0.0");
        table.add(v1);
        table.add(v2);

        table.remove(v2.serviceId());

        assertThat(table.serving(Kind.NODE_TYPE, "code")).contains(v1);
        assertThat(table.ranked(Kind.NODE_TYPE)).containsExactly(new ContributionTable.Ranked(v1, false));
    }

    @Test
    void should_list_a_bundles_contributions_and_nothing_of_other_kinds_for_a_kind() {
        Contribution start = nodeType("start", "1", 40, "1.0.0");
        Contribution end = nodeType("end", "1", 40, "1.0.0");
        table.add(start);
        table.add(end);

        assertThat(table.ofBundle(40)).containsExactly(end, start);
        assertThat(table.ranked(Kind.MODEL_PROVIDER)).isEmpty();
        assertThat(table.serving(Kind.NODE_TYPE, "llm")).isEmpty();
    }

    private Contribution nodeType(String type, String version, long bundleId, String bundleVersion) {
        NodeDescriptor descriptor = new NodeDescriptor(type, version, type, "", "utility", null, List.of(), List.of());
        return new Contribution(Kind.NODE_TYPE, descriptor, null, bundleId, "bundle." + bundleId, bundleVersion,
                ++serviceIds);
    }
}
