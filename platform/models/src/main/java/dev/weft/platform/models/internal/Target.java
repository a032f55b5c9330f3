package dev.weft.platform.models.internal;

import dev.weft.spi.model.ProviderConfig;
import java.util.List;

/** Where a call goes: a provider, its configuration, the model, and why it went elsewhere than asked. */
record Target(String provider, ProviderConfig config, String model, List<String> warnings) {
}
