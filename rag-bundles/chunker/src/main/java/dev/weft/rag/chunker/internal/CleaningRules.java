package dev.weft.rag.chunker.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dify's {@code pre_processing_rules}: which optional cleaning steps run before chunking.
 *
 * <p>{@code remove_stopwords} is accepted and ignored, as in Dify, which declares it but does not
 * apply it. When the list is absent, the defaults of Dify's form apply (extra spaces removed, URLs
 * and e-mail addresses kept); when it is present, a rule it does not enable is off.
 *
 * @param removeExtraSpaces collapse runs of blanks and of three or more line breaks
 * @param removeUrlsEmails delete e-mail addresses and bare URLs
 */
record CleaningRules(boolean removeExtraSpaces, boolean removeUrlsEmails) {

    static final CleaningRules DEFAULT = new CleaningRules(true, false);

    static final String REMOVE_EXTRA_SPACES = "remove_extra_spaces";
    static final String REMOVE_URLS_EMAILS = "remove_urls_emails";
    static final String REMOVE_STOPWORDS = "remove_stopwords";
    private static final Set<String> IDS = Set.of(REMOVE_EXTRA_SPACES, REMOVE_URLS_EMAILS, REMOVE_STOPWORDS);

    /** Reads a list of {@code {id, enabled}}; absent means {@link #DEFAULT}. */
    static CleaningRules parse(Object value, String path) {
        if (value == null) {
            return DEFAULT;
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(path + " must be a list of {id, enabled}");
        }
        boolean spaces = false;
        boolean urls = false;
        for (int i = 0; i < list.size(); i++) {
            String itemPath = path + "[" + i + "]";
            Map<String, Object> rule = ConfigReader.object(list.get(i), itemPath);
            ConfigReader.onlyKeys(rule, itemPath, Set.of("id", "enabled"));
            String id = ConfigReader.string(rule, "id", itemPath)
                    .orElseThrow(() -> new IllegalArgumentException(itemPath + ".id is missing"));
            if (!IDS.contains(id)) {
                throw new IllegalArgumentException(itemPath + ".id \"" + id + "\" is not a cleaning rule; known: "
                        + REMOVE_EXTRA_SPACES + ", " + REMOVE_URLS_EMAILS + ", " + REMOVE_STOPWORDS);
            }
            boolean enabled = ConfigReader.bool(rule, "enabled", itemPath)
                    .orElseThrow(() -> new IllegalArgumentException(itemPath + ".enabled is missing"));
            switch (id) {
                case REMOVE_EXTRA_SPACES -> spaces = enabled;
                case REMOVE_URLS_EMAILS -> urls = enabled;
                default -> { } // remove_stopwords: declared by Dify, applied by nobody
            }
        }
        return new CleaningRules(spaces, urls);
    }
}
