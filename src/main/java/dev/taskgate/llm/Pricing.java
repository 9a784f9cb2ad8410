package dev.taskgate.llm;

import dev.taskgate.config.TaskgateConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The configured price table: USD per million input and output tokens, by model name. A model
 * that is not in the table costs nothing (the local model, a self-hosted one).
 */
@ApplicationScoped
public class Pricing {

    private final Map<String, TaskgateConfig.Llm.Price> prices;

    public Pricing(TaskgateConfig config) {
        this.prices = Map.copyOf(config.llm().prices());
    }

    /** Exact cost of one call; the requested model's price, else the price of the model the provider reported. */
    public BigDecimal cost(String requestedModel, String reportedModel, long inputTokens, long outputTokens) {
        TaskgateConfig.Llm.Price price = prices.get(requestedModel);
        if (price == null && reportedModel != null) {
            price = prices.get(reportedModel);
        }
        if (price == null) {
            return BigDecimal.ZERO;
        }
        return price.input().multiply(BigDecimal.valueOf(inputTokens))
                .add(price.output().multiply(BigDecimal.valueOf(outputTokens)))
                .movePointLeft(6);
    }

    public boolean hasPrice(String model) {
        return prices.containsKey(model);
    }
}
