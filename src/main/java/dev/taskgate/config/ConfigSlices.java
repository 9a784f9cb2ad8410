package dev.taskgate.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Each part of {@link TaskgateConfig} as a bean of its own, so a class injects only the settings it reads. */
@Singleton
public class ConfigSlices {

    @Produces
    @Singleton
    TaskgateConfig.Tasks tasks(TaskgateConfig config) {
        return config.tasks();
    }

    @Produces
    @Singleton
    TaskgateConfig.Temporal temporal(TaskgateConfig config) {
        return config.temporal();
    }

    @Produces
    @Singleton
    TaskgateConfig.Polling polling(TaskgateConfig config) {
        return config.polling();
    }

    @Produces
    @Singleton
    TaskgateConfig.Events events(TaskgateConfig config) {
        return config.events();
    }

    @Produces
    @Singleton
    TaskgateConfig.Llm llm(TaskgateConfig config) {
        return config.llm();
    }

    @Produces
    @Singleton
    TaskgateConfig.Tools tools(TaskgateConfig config) {
        return config.tools();
    }

    @Produces
    @Singleton
    TaskgateConfig.Idempotency idempotency(TaskgateConfig config) {
        return config.idempotency();
    }

    @Produces
    @Singleton
    TaskgateConfig.RateLimit rateLimit(TaskgateConfig config) {
        return config.rateLimit();
    }

    @Produces
    @Singleton
    TaskgateConfig.Retention retention(TaskgateConfig config) {
        return config.retention();
    }

    @Produces
    @Singleton
    TaskgateConfig.Webhooks webhooks(TaskgateConfig config) {
        return config.webhooks();
    }
}
