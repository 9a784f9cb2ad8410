package dev.taskgate.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.taskgate.api.RestJson;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.task.TaskView;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The task JSON as bytes with its entity tag: the tag is a hash of the bytes, so it changes
 * exactly when the representation does. Renderings are kept by task view: equal views render
 * equally, so a cached one is always right.
 */
@ApplicationScoped
public class TaskRendering {

    /** A rendered task: the JSON body and its strong entity tag (quoted). */
    public record Rendered(byte[] body, String etag) {
    }

    private final Cache<TaskView, Rendered> rendered = Caffeine.newBuilder().maximumSize(10_000).build();

    public Rendered of(TaskView task) {
        return rendered.get(task, TaskRendering::render);
    }

    private static Rendered render(TaskView task) {
        try {
            byte[] body = RestJson.bytes(TaskMessages.task(task));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Rendered(body, "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
                    .substring(0, 22) + "\"");
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
