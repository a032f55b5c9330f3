package dev.weft.rag.chunker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextCleanerTest {

    private static final CleaningRules NONE = new CleaningRules(false, false);
    private static final CleaningRules SPACES = new CleaningRules(true, false);
    private static final CleaningRules URLS = new CleaningRules(false, true);

    @Test
    void extraSpacesCollapseAsInDify() {
        assertThat(TextCleaner.clean("a  b\t\tc \u3000d\u00a0\u00a0e", SPACES)).isEqualTo("a b c d e");
        assertThat(TextCleaner.clean("one\n\n\n\n\ntwo\n\nthree\nfour", SPACES)).isEqualTo("one\n\ntwo\n\nthree\nfour");
        assertThat(TextCleaner.clean("single space stays", SPACES)).isEqualTo("single space stays");
        assertThat(TextCleaner.clean("a  b\n\n\nc", NONE)).isEqualTo("a  b\n\n\nc");
    }

    @Test
    void urlsAndEmailsGoButMarkdownLinksAndImagesStay() {
        assertThat(TextCleaner.clean("write to jane.doe+kb@mail.example.com today", URLS)).isEqualTo("write to  today");
        assertThat(TextCleaner.clean("see http://x.org/a?b=c#d and https://y.org.", URLS)).isEqualTo("see  and ");
        assertThat(TextCleaner.clean("![chart](https://x.org/c.png) and [docs](https://x.org/docs)", URLS))
                .isEqualTo("![chart](https://x.org/c.png) and [docs](https://x.org/docs)");
        assertThat(TextCleaner.clean("see https://x.org", NONE)).isEqualTo("see https://x.org");
        assertThat(TextCleaner.clean("see https://x.org  now", new CleaningRules(true, true))).isEqualTo("see now");
    }

    @Test
    void invalidSymbolsAreAlwaysRemoved() {
        assertThat(TextCleaner.clean("a<|endoftext|>b", NONE)).isEqualTo("a<endoftext>b");
        assertThat(TextCleaner.clean("a\u0000b\u0007c\u000Bd\u001Fe\u007Ff\uFFFEg", NONE)).isEqualTo("abcdefg");
        assertThat(TextCleaner.clean("tab\tand\nline stay", NONE)).isEqualTo("tab\tand\nline stay");
        // Dify's pattern would delete these; they are ordinary letters
        assertThat(TextCleaner.clean("¿Qué? ½ ¾ ï", NONE)).isEqualTo("¿Qué? ½ ¾ ï");
    }

    @Test
    void windowsLineBreaksBecomeLineFeeds() {
        assertThat(TextCleaner.clean("a\r\n\r\nb\rc", NONE)).isEqualTo("a\n\nb\nc");
    }
}
