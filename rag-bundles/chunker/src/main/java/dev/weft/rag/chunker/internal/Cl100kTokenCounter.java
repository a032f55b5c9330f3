package dev.weft.rag.chunker.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.weft.spi.rag.TokenCounter;
import java.util.Objects;
import org.osgi.service.component.annotations.Component;

/**
 * Counts tokens with OpenAI's {@code cl100k_base} encoding (jtokkit, embedded), for when the
 * embedding model offers no tokenizer of its own. Offered as a {@link TokenCounter} service with
 * {@code tokenizer=cl100k}: users look it up by that property and depend on the SPI alone, so this
 * bundle can be updated or replaced (by an {@code o200k} counter, say) without wiring anything to
 * its packages.
 *
 * <p>Special-token text such as {@code <|endoftext|>} is counted as ordinary text (documents may
 * contain it). The encoding loads on first use (about 0.3 s) and is then shared; jtokkit encodings
 * are immutable and safe to use from many threads.
 */
@Component(service = TokenCounter.class, property = {"tokenizer=cl100k", "encoding=cl100k_base"})
public final class Cl100kTokenCounter implements TokenCounter {

    private volatile Encoding encoding;

    @Override
    public int count(String text) {
        Objects.requireNonNull(text, "text");
        return text.isEmpty() ? 0 : encoding().countTokensOrdinary(text);
    }

    private Encoding encoding() {
        Encoding loaded = encoding;
        if (loaded == null) {
            synchronized (this) {
                loaded = encoding;
                if (loaded == null) {
                    loaded = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
                    encoding = loaded;
                }
            }
        }
        return loaded;
    }
}
