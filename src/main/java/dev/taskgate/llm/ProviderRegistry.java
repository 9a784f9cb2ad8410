package dev.taskgate.llm;

import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.TaskgateException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The configured providers by name — {@code local} always; {@code openai} and {@code anthropic}
 * when a base URL or key is configured for them — and the choice of provider and model for a task.
 */
@ApplicationScoped
public class ProviderRegistry {

    private static final Logger LOG = Logger.getLogger(ProviderRegistry.class);

    private final Map<String, ChatProvider> providers = new LinkedHashMap<>();
    private final SortedMap<String, TaskgateConfig.Llm.Tier> tiers;
    private final String defaultProvider;
    private final Pricing pricing;

    public ProviderRegistry(TaskgateConfig config, Pricing pricing) {
        TaskgateConfig.Llm llm = config.llm();
        providers.put(LocalChatProvider.NAME, new LocalChatProvider(llm.local().simulation()));
        if (configured(llm.openai())) {
            providers.put(OpenAiChatProvider.NAME, new OpenAiChatProvider(llm.openai()));
        }
        if (configured(llm.anthropic())) {
            providers.put(AnthropicChatProvider.NAME, new AnthropicChatProvider(llm.anthropic()));
        }
        this.tiers = new TreeMap<>(llm.tiers());
        this.pricing = pricing;
        this.defaultProvider = llm.defaultProvider().strip().toLowerCase(Locale.ROOT);
        if (!providers.containsKey(defaultProvider)) {
            throw new IllegalStateException("taskgate.llm.default-provider is '" + defaultProvider
                    + "', which is not configured; configured: " + String.join(", ", providers.keySet()));
        }
        LOG.infof("LLM providers: %s (default %s)", String.join(", ", providers.keySet()), defaultProvider);
    }

    private static boolean configured(TaskgateConfig.Llm.Remote remote) {
        return remote.baseUrl().isPresent() || remote.apiKey().isPresent();
    }

    /** The provider named {@code name}; a provider that is no longer configured fails the call for good. */
    public ChatProvider get(String name) {
        ChatProvider provider = providers.get(name);
        if (provider == null) {
            throw new ProviderException("LLM provider '" + name + "' is not configured", false);
        }
        return provider;
    }

    /**
     * The provider and model for a task that asks for {@code provider}/{@code model} or a
     * {@code tier} (each optional); unknown names are the caller's mistake (invalid argument).
     * A remote provider accepts its default model, its configured models and any model in the
     * price table; a model given without a provider must be the default or a configured model
     * of some provider (the default provider first).
     */
    public ModelChoice resolve(String provider, String model, String tier) {
        String providerName = blankToNull(provider);
        String modelName = blankToNull(model);
        String tierName = blankToNull(tier);
        if (tierName != null) {
            if (providerName != null || modelName != null) {
                throw TaskgateException.invalid("Give either model_tier or provider/model, not both");
            }
            TaskgateConfig.Llm.Tier configured = tiers.get(tierName.toLowerCase(Locale.ROOT));
            if (configured == null) {
                throw TaskgateException.invalid("Unknown model_tier '" + abbreviate(tierName) + "': expected one of "
                        + (tiers.isEmpty() ? "(none configured)" : String.join(", ", tiers.keySet())));
            }
            return choose(configured.provider(), configured.model());
        }
        if (providerName == null && modelName != null) {
            providerName = Optional.of(providers.get(defaultProvider)).filter(p -> p.knowsModel(model.strip()))
                    .or(() -> providers.values().stream().filter(p -> p.knowsModel(model.strip())).findFirst())
                    .map(ChatProvider::name)
                    .orElseThrow(() -> TaskgateException.invalid("Unknown model '" + abbreviate(model) + "'"));
        }
        return choose(providerName == null ? defaultProvider : providerName, modelName);
    }

    private ModelChoice choose(String providerName, String modelName) {
        ChatProvider chosen = providers.get(providerName.toLowerCase(Locale.ROOT));
        if (chosen == null) {
            throw TaskgateException.invalid("Unknown provider '" + abbreviate(providerName) + "': expected one of "
                    + String.join(", ", providers.keySet()));
        }
        if (modelName == null) {
            return new ModelChoice(chosen.name(), chosen.defaultModel());
        }
        boolean priced = chosen instanceof Langchain4jProvider && pricing.hasPrice(modelName);
        if (!chosen.knowsModel(modelName) && !priced) {
            throw TaskgateException.invalid("Unknown model '" + abbreviate(modelName) + "' for provider '"
                    + chosen.name() + "'");
        }
        return new ModelChoice(chosen.name(), modelName);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
