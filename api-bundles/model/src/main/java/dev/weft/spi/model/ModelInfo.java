package dev.weft.spi.model;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model a provider serves.
 *
 * @param id the vendor's model name ({@code gpt-4o-mini})
 * @param type what kind of model it is
 * @param title for people; the id when the vendor gives none
 * @param contextWindow tokens it reads at most; 0 when unknown
 * @param maxOutputTokens tokens it writes at most; 0 when unknown
 * @param features what it can do beyond plain text
 */
@ProviderType
public record ModelInfo(String id, ModelType type, String title, int contextWindow, int maxOutputTokens,
        Set<ModelFeature> features) {

    public ModelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        title = title == null || title.isBlank() ? id : title;
        features = features == null || features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    }
}
