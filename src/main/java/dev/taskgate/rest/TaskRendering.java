package dev.taskgate.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.task.Task;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The task JSON as bytes with its entity tag: the tag is a hash of the bytes, so it changes
 * exactly when the representation does. A task object is never modified once read, so its
 * rendering is kept as long as the object itself is (by {@code TaskCache}).
 */
@ApplicationScoped
public class TaskRendering {

    /** A rendered task: the JSON body and its strong entity tag (quoted). */
    public record Rendered(byte[] body, String etag) {
    }

    private final ObjectMapper json;
    private final Cache<Task, Rendered> rendered = Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

    public TaskRendering(ObjectMapper json) {
        this.json = json;
    }

    public Rendered of(Task task) {
        return rendered.get(task, this::render);
    }

    private Rendered render(Task task) {
        try {
            byte[] body = json.writeValueAsBytes(TaskJson.of(TaskMessages.toMessage(task)));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Rendered(body, "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
                    .substring(0, 22) + "\"");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an {@code If-None-Match} header names this tag (weak comparison, lists and {@code *} allowed). */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
