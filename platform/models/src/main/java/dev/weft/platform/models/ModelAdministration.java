package dev.weft.platform.models;

import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelInfo;
import dev.weft.spi.model.ModelType;
import dev.weft.platform.store.ModelSettingsRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The model runtime's settings, per workspace, as the console API manages them. */
@ProviderType
public interface ModelAdministration {

    /**
     * A provider a workspace can use.
     *
     * @param id the name apps use ({@code openai}, {@code deepseek}, {@code anthropic}...)
     * @param servedBy the Weft provider bundle that serves it
     * @param credentials {@code workspace}, {@code instance} (from the environment) or {@code none}
     * @param installed whether the serving bundle is installed
     */
    @ProviderType
    record Provider(String id, String servedBy, String title, Map<String, Object> configSchema, List<String> modelTypes,
            String credentials, boolean installed) {
    }

    List<Provider> providers(String workspaceId);

    /**
     * Verifies the credentials with a real call to the provider, then keeps them: settings as they
     * are, secrets encrypted. A secret sent back as it was shown (masked) keeps its stored value.
     *
     * @throws ModelException with the vendor's reason when the call fails; nothing is kept
     * @throws IllegalArgumentException when the provider is unknown
     */
    void saveCredentials(String workspaceId, String provider, Map<String, Object> values) throws ModelException;

    /** The workspace's credentials for the provider, secrets masked. */
    Optional<Map<String, Object>> credentials(String workspaceId, String provider);

    boolean deleteCredentials(String workspaceId, String provider);

    /** The models the provider offers with the workspace's (or the instance's) credentials. */
    List<ModelInfo> models(String workspaceId, String provider) throws ModelException;

    void setDefaultModel(String workspaceId, ModelType type, String provider, String model);

    Optional<ModelSettingsRepository.DefaultModel> defaultModel(String workspaceId, ModelType type);

    void setPrice(String provider, String model, BigDecimal inputPerMillion, BigDecimal outputPerMillion, String currency);

    List<ModelSettingsRepository.UsageTotal> usage(String workspaceId, Instant since);

    /**
     * The parameters a model takes, as Dify's console lists them: {@code name}, {@code label},
     * {@code type} (float, int, string, boolean, text), {@code help}, {@code required}, {@code default},
     * {@code min}, {@code max}, {@code precision}, {@code options}. A provider id may be Dify's.
     */
    List<Map<String, Object>> parameterRules(String provider, String model);
}
