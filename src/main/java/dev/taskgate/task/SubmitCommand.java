package dev.taskgate.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.idempotency.IdempotencyKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task as a client asks for it, checked for everything that does not depend on configuration:
 * a visible, storable query; a well-formed session id (null: a new session); a mode (null:
 * SIMPLE); a context object nested at most {@value #MAX_CONTEXT_DEPTH} levels; provider, model
 * and tier as bounded texts (a tier excludes the other two). The configured bounds (query size,
 * timeouts, null for the default), the choice of model and the tool names of
 * {@code require_approval} (null: the tenant's default) are checked by {@link SubmitTask}, and so is
 * {@code webhook_url} (null: none), which may need a DNS lookup.
 */
public record SubmitCommand(String query, String sessionId, ExecutionMode mode, Map<String, Object> context,
                            Integer timeoutSeconds, String provider, String model, String modelTier,
                            List<String> requireApproval, Integer approvalTimeoutSeconds, String webhookUrl) {

    public static final int MAX_CONTEXT_DEPTH = 32;
    private static final int MAX_QUERY_CHARS = 1 << 20;
    private static final int MAX_NAME_CHARS = 128;
    private static final int MAX_URL_CHARS = 2048;
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public SubmitCommand {
        query = Texts.required("query", query, MAX_QUERY_CHARS);
        sessionId = sessionId == null || sessionId.isEmpty() ? null : Ids.session(sessionId);
        mode = mode == null ? ExecutionMode.SIMPLE : mode;
        context = context == null || context.isEmpty() ? null : checkedContext(context);
        provider = name("provider", provider);
        model = name("model", model);
        modelTier = name("model_tier", modelTier);
        requireApproval = requireApproval == null ? null : new ArrayList<>(requireApproval);
        webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : Texts.checked("webhook_url", webhookUrl.strip(), MAX_URL_CHARS);
    }

    /**
     * SHA-256 (hex) of the request as canonical JSON (sorted keys): equal requests have equal
     * fingerprints however they were written, so an {@code Idempotency-Key} recognises its request.
     */
    public String fingerprint() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("query", query);
        fields.put("session_id", sessionId);
        fields.put("mode", mode.name());
        fields.put("context", context);
        fields.put("timeout_seconds", timeoutSeconds);
        fields.put("provider", provider);
        fields.put("model", model);
        fields.put("model_tier", modelTier);
        if (requireApproval != null) { // fields added later count only when given, so earlier keys still match
            fields.put("require_approval", requireApproval);
        }
        if (approvalTimeoutSeconds != null) {
            fields.put("approval_timeout_seconds", approvalTimeoutSeconds);
        }
        if (webhookUrl != null) {
            fields.put("webhook_url", webhookUrl);
        }
        try {
            return IdempotencyKeys.hash(CANONICAL.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw TaskgateException.invalid("context must be a JSON object");
        }
    }

    private static String name(String field, String value) {
        return value == null || value.isBlank() ? null : Texts.checked(field, value.strip(), MAX_NAME_CHARS);
    }

    private static Map<String, Object> checkedContext(Map<String, Object> context) {
        checkDepth(context, 1);
        return context;
    }

    private static void checkDepth(Object value, int depth) {
        if (depth > MAX_CONTEXT_DEPTH) {
            throw TaskgateException.invalid("context is nested more than " + MAX_CONTEXT_DEPTH + " levels deep");
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getKey() instanceof String key) {
                    Texts.checked("context key", key, MAX_NAME_CHARS * 8);
                }
                checkDepth(entry.getValue(), depth + 1);
            }
        } else if (value instanceof Collection<?> list) {
            for (Object item : list) {
                checkDepth(item, depth + 1);
            }
        } else if (value instanceof String text) {
            Texts.checked("context", text, MAX_QUERY_CHARS);
        }
    }
}
