package dev.weft.rag.chunker.internal;

import java.util.Map;
import java.util.Set;

/**
 * A knowledge base's chunking settings in the shape of Dify's {@code process_rule}
 * ({@code {mode, rules: {pre_processing_rules, segmentation, parent_mode, subchunk_segmentation}}}),
 * so a Dify request's {@code process_rule} can be handed over unchanged.
 *
 * <p>Defaults, from Dify:
 * <ul>
 * <li>{@code automatic}: Dify's {@code AUTOMATIC_RULES} — separator {@code "\n"}, 500 tokens,
 * overlap 50, extra spaces removed, URLs and e-mails kept. Any {@code rules} given are ignored, as
 * Dify ignores them in this mode.</li>
 * <li>{@code custom}: the defaults of Dify's form — separator {@code "\n\n"}, 1024 tokens, overlap
 * 50, extra spaces removed.</li>
 * <li>{@code hierarchical}: parents by paragraph, separator {@code "\n\n"}, 1024 tokens; children
 * by line, {@code "\n"}, 512 tokens; no overlap for either (a parent is what the model reads, so
 * repeating text between parents only costs context). {@code full-doc} takes the document as one
 * parent, cut at its first {@value #FULL_DOC_MAX_TOKENS} tokens.</li>
 * </ul>
 *
 * @param mode the mode
 * @param cleaning the cleaning rules
 * @param segmentation general chunks, or the parents in paragraph mode
 * @param parentMode for hierarchical: paragraphs or the full document; null otherwise
 * @param subchunk for hierarchical: the children; null otherwise
 */
record ProcessRule(Mode mode, CleaningRules cleaning, Segmentation segmentation, ParentMode parentMode,
        Segmentation subchunk) {

    /** Dify's cap on a full-document parent. */
    static final int FULL_DOC_MAX_TOKENS = 10_000;

    static final Segmentation AUTOMATIC_SEGMENTATION = new Segmentation("\n", 500, 50);
    static final Segmentation CUSTOM_SEGMENTATION = new Segmentation("\n\n", 1024, 50);
    static final Segmentation PARENT_SEGMENTATION = new Segmentation("\n\n", 1024, 0);
    static final Segmentation CHILD_SEGMENTATION = new Segmentation("\n", 512, 0);

    static final ProcessRule AUTOMATIC = new ProcessRule(Mode.AUTOMATIC, CleaningRules.DEFAULT,
            AUTOMATIC_SEGMENTATION, null, null);

    private static final Set<String> TOP_KEYS = Set.of("mode", "rules");
    /** Dify's form may send the parent-child keys with a general rule too; they are ignored there. */
    private static final Set<String> GENERAL_RULE_KEYS = Set.of("pre_processing_rules", "segmentation",
            "parent_mode", "subchunk_segmentation");
    private static final Set<String> HIERARCHICAL_RULE_KEYS = GENERAL_RULE_KEYS;

    enum Mode {
        AUTOMATIC("automatic"), CUSTOM("custom"), HIERARCHICAL("hierarchical");

        final String wire;

        Mode(String wire) {
            this.wire = wire;
        }
    }

    enum ParentMode {
        PARAGRAPH("paragraph"), FULL_DOC("full-doc");

        final String wire;

        ParentMode(String wire) {
            this.wire = wire;
        }
    }

    /** Settings for general chunking: mode {@code automatic} (the default) or {@code custom}. */
    static ProcessRule general(Map<String, Object> config) {
        Map<String, Object> top = ConfigReader.object(config, "");
        ConfigReader.onlyKeys(top, "", TOP_KEYS);
        String mode = ConfigReader.string(top, "mode", "").orElse(Mode.AUTOMATIC.wire);
        if (mode.equals(Mode.AUTOMATIC.wire)) {
            return AUTOMATIC;
        }
        if (mode.equals(Mode.HIERARCHICAL.wire)) {
            throw new IllegalArgumentException("mode \"hierarchical\" is parent-child chunking: use the "
                    + ParentChildChunker.ID + " chunker; this one takes \"automatic\" or \"custom\"");
        }
        if (!mode.equals(Mode.CUSTOM.wire)) {
            throw new IllegalArgumentException("mode must be \"automatic\" or \"custom\", got \"" + mode + "\"");
        }
        Map<String, Object> rules = ConfigReader.object(top.get("rules"), "rules");
        ConfigReader.onlyKeys(rules, "rules", GENERAL_RULE_KEYS);
        return new ProcessRule(Mode.CUSTOM,
                CleaningRules.parse(rules.get("pre_processing_rules"), "rules.pre_processing_rules"),
                Segmentation.parse(rules.get("segmentation"), "rules.segmentation", CUSTOM_SEGMENTATION),
                null, null);
    }

    /** Settings for parent-child chunking: mode {@code hierarchical}, the only one (and the default). */
    static ProcessRule hierarchical(Map<String, Object> config) {
        Map<String, Object> top = ConfigReader.object(config, "");
        ConfigReader.onlyKeys(top, "", TOP_KEYS);
        String mode = ConfigReader.string(top, "mode", "").orElse(Mode.HIERARCHICAL.wire);
        if (!mode.equals(Mode.HIERARCHICAL.wire)) {
            throw new IllegalArgumentException("mode must be \"hierarchical\" for parent-child chunking, got \""
                    + mode + "\" (general chunking is the " + GeneralChunker.ID + " chunker)");
        }
        Map<String, Object> rules = ConfigReader.object(top.get("rules"), "rules");
        ConfigReader.onlyKeys(rules, "rules", HIERARCHICAL_RULE_KEYS);
        String parentModeText = ConfigReader.string(rules, "parent_mode", "rules")
                .orElse(ParentMode.PARAGRAPH.wire);
        ParentMode parentMode = switch (parentModeText) {
            case "paragraph" -> ParentMode.PARAGRAPH;
            case "full-doc" -> ParentMode.FULL_DOC;
            default -> throw new IllegalArgumentException(
                    "rules.parent_mode must be \"paragraph\" or \"full-doc\", got \"" + parentModeText + "\"");
        };
        Segmentation parent = Segmentation.parse(rules.get("segmentation"), "rules.segmentation", PARENT_SEGMENTATION);
        Segmentation child = Segmentation.parse(rules.get("subchunk_segmentation"), "rules.subchunk_segmentation",
                CHILD_SEGMENTATION);
        if (parentMode == ParentMode.PARAGRAPH && child.maxTokens() > parent.maxTokens()) {
            throw new IllegalArgumentException("rules.subchunk_segmentation.max_tokens (" + child.maxTokens()
                    + ") must not exceed the parent's rules.segmentation.max_tokens (" + parent.maxTokens() + ")");
        }
        return new ProcessRule(Mode.HIERARCHICAL,
                CleaningRules.parse(rules.get("pre_processing_rules"), "rules.pre_processing_rules"),
                parent, parentMode, child);
    }
}
