package dev.taskgate.events;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Live pieces of a model call's text ({@link EventType#LLM_PARTIAL}), announced with
 * {@code NOTIFY} on {@link TaskChanges#PARTIALS} so that streams on any replica can pass them
 * on, and never stored: the call's {@code LLM_OUTPUT} event carries the whole text. Pieces are
 * batched (one notification per {@link #FLUSH_EVERY_NANOS} at most while text keeps coming; the
 * first piece goes out at once unless it comes within {@link #FIRST_FLUSH_AFTER_NANOS} of the
 * call's start, so a call that answers that fast sends one notification) and best effort: a piece
 * that cannot be announced is dropped.
 */
@ApplicationScoped
public class PartialOutput {

    private static final Logger LOG = Logger.getLogger(PartialOutput.class);
    private static final long FLUSH_EVERY_NANOS = 100_000_000;
    private static final long FIRST_FLUSH_AFTER_NANOS = 20_000_000;
    /** NOTIFY payloads must stay under 8000 bytes; four UTF-8 bytes per char at most. */
    static final int MAX_PIECE_CHARS = 1900;

    private final AgroalDataSource dataSource;

    public PartialOutput(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A writer for one model call ({@code call} tells calls and retried attempts apart); close it when the call ends. */
    public Writer open(String taskId, String call) {
        return new Writer(taskId, call);
    }

    /** Collects a call's text and announces it in pieces. */
    public final class Writer implements Consumer<String>, AutoCloseable {

        private final String taskId;
        private final String call;
        private final StringBuilder pending = new StringBuilder();
        private long lastFlush = System.nanoTime() - FLUSH_EVERY_NANOS + FIRST_FLUSH_AFTER_NANOS;

        private Writer(String taskId, String call) {
            this.taskId = taskId;
            this.call = call;
        }

        @Override
        public synchronized void accept(String text) {
            pending.append(text);
            if (System.nanoTime() - lastFlush >= FLUSH_EVERY_NANOS || pending.length() >= MAX_PIECE_CHARS) {
                flush();
            }
        }

        /** Announces what is left. */
        @Override
        public synchronized void close() {
            flush();
        }

        private void flush() {
            lastFlush = System.nanoTime();
            while (!pending.isEmpty()) {
                int end = Math.min(pending.length(), MAX_PIECE_CHARS);
                if (end < pending.length() && Character.isHighSurrogate(pending.charAt(end - 1))) {
                    end--;
                }
                announce(new PartialText(taskId, call, pending.substring(0, end)).payload());
                pending.delete(0, end);
            }
        }
    }

    private void announce(String payload) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, TaskChanges.PARTIALS);
            notify.setString(2, payload);
            notify.execute();
        } catch (SQLException e) {
            LOG.debugf("partial output dropped: %s", e.getMessage());
        }
    }
}
