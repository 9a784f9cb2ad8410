package dev.taskgate.task;

import dev.taskgate.events.EventType;

/**
 * The webhooks a task's events are announced to (implemented by the {@code webhooks} package):
 * the check of a submitted {@code webhook_url}, and the deliveries an event causes, recorded in
 * the transaction that records the event, so a crash between the two cannot lose one.
 */
public interface TaskWebhooks {

    /** The URL if it may receive webhooks; INVALID_ARGUMENT (with the reason) otherwise. */
    String checkedUrl(String url);

    /** Records the deliveries of the task's event, in the caller's transaction (none for most types). */
    void recorded(String taskId, EventType type);
}
