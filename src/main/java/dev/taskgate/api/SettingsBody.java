package dev.taskgate.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Body of {@code PUT /api/v1/settings}: the tenant's defaults for new tasks. */
public record SettingsBody(@JsonProperty("require_approval") List<String> requireApproval) {
}
