package dev.weft.platform.models.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which Weft provider serves a provider id found in a Dify file, and with which base URL: Dify's
 * plug-in ids ({@code langgenius/openai/openai}) and its older short ids ({@code openai}), and the
 * vendors whose APIs are OpenAI's wire format at their own address.
 */
final class ProviderRoutes {

    /** A Weft provider, the base URL it needs for this vendor (null for its own default), and the key's variable. */
    record Route(String provider, String baseUrl, String keyVariable) {
    }

    private static final Map<String, Route> ROUTES = Map.ofEntries(
            Map.entry("openai", new Route("openai", null, "OPENAI_API_KEY")),
            Map.entry("openai_api_compatible", new Route("openai", null, "OPENAI_API_KEY")),
            Map.entry("azure_openai", new Route("openai", null, "AZURE_OPENAI_API_KEY")),
            Map.entry("deepseek", new Route("openai", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY")),
            Map.entry("openrouter", new Route("openai", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY")),
            Map.entry("groq", new Route("openai", "https://api.groq.com/openai/v1", "GROQ_API_KEY")),
            Map.entry("togetherai", new Route("openai", "https://api.together.xyz/v1", "TOGETHER_API_KEY")),
            Map.entry("siliconflow", new Route("openai", "https://api.siliconflow.cn/v1", "SILICONFLOW_API_KEY")),
            Map.entry("moonshot", new Route("openai", "https://api.moonshot.cn/v1", "MOONSHOT_API_KEY")),
            Map.entry("tongyi", new Route("openai", "https://dashscope.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY")),
            Map.entry("zhipuai", new Route("openai", "https://open.bigmodel.cn/api/paas/v4", "ZHIPUAI_API_KEY")),
            Map.entry("xai", new Route("openai", "https://api.x.ai/v1", "XAI_API_KEY")),
            Map.entry("mistralai", new Route("openai", "https://api.mistral.ai/v1", "MISTRAL_API_KEY")),
            Map.entry("anthropic", new Route("anthropic", null, "ANTHROPIC_API_KEY")),
            Map.entry("gemini", new Route("gemini", null, "GEMINI_API_KEY")),
            Map.entry("google", new Route("gemini", null, "GEMINI_API_KEY")),
            Map.entry("vertex_ai", new Route("gemini", null, "GEMINI_API_KEY")),
            Map.entry("ollama", new Route("ollama", null, null)),
            Map.entry("cohere", new Route("rerank", "https://api.cohere.com/v2", "COHERE_API_KEY")),
            Map.entry("jina", new Route("rerank", "https://api.jina.ai/v1", "JINA_API_KEY")),
            Map.entry("jinaai", new Route("rerank", "https://api.jina.ai/v1", "JINA_API_KEY")));

    private ProviderRoutes() {
    }

    /** The vendors served by another provider's wire format, with their own credentials. */
    static java.util.Set<String> vendors() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        ROUTES.forEach((id, route) -> {
            if (!id.equals(route.provider())) {
                out.add(id);
            }
        });
        return out;
    }

    /**
     * The route for a provider id as an app names it: Dify's {@code <org>/<plugin>/<provider>} ids
     * are read by their last part.
     */
    static Optional<Route> of(String difyOrWeftId) {
        if (difyOrWeftId == null || difyOrWeftId.isBlank()) {
            return Optional.empty();
        }
        String id = difyOrWeftId.strip().toLowerCase(Locale.ROOT);
        int slash = id.lastIndexOf('/');
        if (slash >= 0) {
            id = id.substring(slash + 1);
        }
        return Optional.ofNullable(ROUTES.get(id));
    }
}
