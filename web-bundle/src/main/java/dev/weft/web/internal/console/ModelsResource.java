package dev.weft.web.internal.console;

import dev.weft.api.core.ValidationException;
import dev.weft.api.core.WeftException;
import dev.weft.platform.models.ModelAdministration;
import dev.weft.platform.store.ModelSettingsRepository;
import dev.weft.spi.model.ModelException;
import dev.weft.spi.model.ModelInfo;
import dev.weft.spi.model.ModelType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code /console/api/workspaces/current/...}: the model providers a workspace can use, its
 * credentials for them (verified by a real call before they are kept, never shown in the clear),
 * its default models, the price table and the accounts of its model calls.
 */
@Component(service = ModelsResource.class)
@JakartarsResource
@Path("/console/api/workspaces")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.SecurityContext security;


    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ModelAdministration models;

    /** The body that saves credentials: {@code {"credentials": {...}}}. */
    public record CredentialsBody(Map<String, Object> credentials) {
    }

    /** One default model. */
    public record DefaultModelBody(String modelType, String provider, String model) {
    }

    /** Dify's body: {@code {"model_settings": [{model_type, provider, model}]}}. */
    public record DefaultModelsBody(List<DefaultModelBody> modelSettings) {
    }

    /** A price per million tokens. */
    public record PriceBody(String provider, String model, BigDecimal inputPerMillion, BigDecimal outputPerMillion,
            String currency) {
    }

    @GET
    @Path("current/model-providers")
    public Map<String, Object> providers() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (ModelAdministration.Provider provider : admin().providers(workspace())) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("provider", provider.id());
            item.put("label", provider.title());
            item.put("served_by", provider.servedBy());
            item.put("supported_model_types", provider.modelTypes());
            item.put("provider_credential_schema", provider.configSchema());
            item.put("credentials", provider.credentials());
            item.put("installed", provider.installed());
            data.add(item);
        }
        return Map.of("data", data);
    }

    @GET
    @Path("current/model-providers/{provider: .+}/credentials")
    public Map<String, Object> credentials(@PathParam("provider") String provider) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("credentials", admin().credentials(workspace(), provider).orElse(null));
        return body;
    }

    @dev.weft.web.internal.auth.Requires(dev.weft.platform.security.Role.ADMIN)
    @POST
    @Path("current/model-providers/{provider: .+}/credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> saveCredentials(@PathParam("provider") String provider, CredentialsBody body) {
        if (body == null || body.credentials() == null || body.credentials().isEmpty()) {
            throw ValidationException.of("/credentials", "the credentials are required");
        }
        try {
            admin().saveCredentials(workspace(), provider, body.credentials());
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(e.getMessage());
        } catch (ModelException e) {
            // the provider refused them: nothing was kept
            throw new WeftException(e.code(), "the credentials were not accepted: " + e.getMessage());
        }
        return Map.of("result", "success");
    }

    @dev.weft.web.internal.auth.Requires(dev.weft.platform.security.Role.ADMIN)
    @DELETE
    @Path("current/model-providers/{provider: .+}/credentials")
    public Response deleteCredentials(@PathParam("provider") String provider) {
        if (!admin().deleteCredentials(workspace(), provider)) {
            throw new NotFoundException("No credentials for " + provider + ".");
        }
        return Response.noContent().build();
    }

    @GET
    @Path("current/model-providers/{provider: .+}/models")
    public Map<String, Object> models(@PathParam("provider") String provider) {
        List<Map<String, Object>> data = new ArrayList<>();
        try {
            for (ModelInfo model : admin().models(workspace(), provider)) {
                data.add(Map.of("model", model.id(), "label", model.title(), "model_type", model.type().wireName(),
                        "context_size", model.contextWindow()));
            }
        } catch (ModelException e) {
            throw new WeftException(e.code(), e.getMessage());
        }
        return Map.of("data", data);
    }

    /** Dify's parameter rules of a model: what the console offers to set, with ranges and defaults. */
    @GET
    @Path("current/model-providers/{provider: .+}/models/parameter-rules")
    public Map<String, Object> parameterRules(@PathParam("provider") String provider, @QueryParam("model") String model) {
        if (model == null || model.isBlank()) {
            throw new BadRequestException("the query parameter model is required");
        }
        return Map.of("data", admin().parameterRules(provider, model.strip()));
    }

    @GET
    @Path("current/default-model")
    public Map<String, Object> defaultModel(@QueryParam("model_type") String modelType) {
        ModelType type = type(modelType);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", admin().defaultModel(workspace(), type).map(m -> Map.of("model_type", m.modelType(),
                "provider", m.provider(), "model", m.model())).orElse(null));
        return body;
    }

    @dev.weft.web.internal.auth.Requires(dev.weft.platform.security.Role.ADMIN)
    @POST
    @Path("current/default-model")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> setDefaultModels(DefaultModelsBody body) {
        if (body == null || body.modelSettings() == null || body.modelSettings().isEmpty()) {
            throw ValidationException.of("/model_settings", "at least one {model_type, provider, model} is required");
        }
        for (DefaultModelBody setting : body.modelSettings()) {
            if (setting.provider() == null || setting.provider().isBlank() || setting.model() == null || setting.model().isBlank()) {
                throw ValidationException.of("/model_settings", "each setting needs a provider and a model");
            }
            admin().setDefaultModel(workspace(), type(setting.modelType()), setting.provider(), setting.model());
        }
        return Map.of("result", "success");
    }

    @dev.weft.web.internal.auth.Requires(dev.weft.platform.security.Role.ADMIN)
    @PUT
    @Path("current/model-prices")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> setPrice(PriceBody body) {
        if (body == null || body.provider() == null || body.model() == null || body.inputPerMillion() == null
                || body.outputPerMillion() == null || body.inputPerMillion().signum() < 0 || body.outputPerMillion().signum() < 0) {
            throw ValidationException.of("/", "provider, model, input_per_million and output_per_million (not negative) are required");
        }
        admin().setPrice(body.provider(), body.model(), body.inputPerMillion(), body.outputPerMillion(), body.currency());
        return Map.of("result", "success");
    }

    @GET
    @Path("current/model-usage")
    public Map<String, Object> usage(@QueryParam("days") Integer days) {
        int span = days == null ? 30 : days;
        if (span < 1 || span > 3650) {
            throw ValidationException.of("/days", "must be between 1 and 3650");
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (ModelSettingsRepository.UsageTotal total : admin().usage(workspace(), Instant.now().minus(Duration.ofDays(span)))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("provider", total.provider());
            item.put("model", total.model());
            item.put("model_type", total.modelType());
            item.put("calls", total.calls());
            item.put("failures", total.failures());
            item.put("prompt_tokens", total.promptTokens());
            item.put("completion_tokens", total.completionTokens());
            item.put("total_tokens", total.promptTokens() + total.completionTokens());
            item.put("total_price", total.price() == null ? "0" : total.price().stripTrailingZeros().toPlainString());
            item.put("currency", total.currency());
            data.add(item);
        }
        return Map.of("days", span, "data", data);
    }

    private static ModelType type(String wireName) {
        for (ModelType type : ModelType.values()) {
            if (type.wireName().equals(wireName)) {
                return type;
            }
        }
        throw ValidationException.of("/model_type", "must be llm, text-embedding or rerank");
    }

    private ModelAdministration admin() {
        ModelAdministration admin = models;
        if (admin == null) {
            throw new ServiceUnavailableException("The model runtime is not ready yet.", 1L);
        }
        return admin;
    }

    private String workspace() {
        return dev.weft.web.internal.auth.Callers.workspace(security);
    }
}
