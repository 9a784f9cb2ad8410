package dev.taskgate.error;

import org.jboss.logging.Logger;

/**
 * The log of a periodic job's database outage: one warning when its first attempt fails, one line
 * when an attempt succeeds again, nothing for the attempts in between (an outage is one line, not
 * a stack trace per attempt).
 */
public final class DatabaseOutage {

    private final Logger log;
    private final String job;
    private final String retry;
    private volatile boolean down;

    /** {@code job} names what logs ("webhook deliveries"), {@code retry} when it tries again ("every poll"). */
    public DatabaseOutage(Logger log, String job, String retry) {
        this.log = log;
        this.job = job;
        this.retry = retry;
    }

    /** An attempt to {@code attempt} (e.g. "claim due deliveries") failed with {@code failure}. */
    public void failed(String attempt, Throwable failure) {
        if (!down) {
            down = true;
            log.warnf("%s: cannot %s (%s); retrying %s", job, attempt, DatabaseErrors.describe(failure), retry);
        }
    }

    /** An attempt succeeded. */
    public void answered() {
        if (down) {
            down = false;
            log.infof("%s: the database answers again", job);
        }
    }
}
