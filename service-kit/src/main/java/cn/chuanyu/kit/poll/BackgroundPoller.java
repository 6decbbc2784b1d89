package cn.chuanyu.kit.poll;

import java.time.Duration;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named daemon thread that runs a pass over and over: at once again while passes report more work waiting,
 * after the idle interval (cut short by {@link #wake()}) when a pass found less than a full batch, and after an
 * exponential back-off when a pass fails (the database or broker down), logging failures at most once per
 * {@link #FAILURE_LOG_INTERVAL} so an outage does not flood the log. {@link #stop()} lets the current pass end,
 * then (with {@link Settings#drainOnStop}) runs passes until one finds nothing, and joins the thread.
 * <p>
 * Beans that run one extend {@link PollingLifecycle}, which starts and stops it with the application context.
 */
public final class BackgroundPoller {

    /** How often a run of failures is logged after its first. */
    public static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(BackgroundPoller.class);

    /** One pass of the work. */
    @FunctionalInterface
    public interface Pass {

        /**
         * @return true if more work is probably waiting (a full batch was done), so the next pass starts at once
         */
        boolean run() throws Exception;
    }

    /**
     * @param idle              the wait after a pass that found less than a full batch ({@link #wake()} ends it)
     * @param linger            a further, unwakeable wait after an idle one, so that under load one pass takes
     *                          what several wakes announced; zero for none
     * @param failureBackoff    the waits after failed passes in a row ({@link #wake()} ends them too)
     * @param drainOnStop       whether {@link #stop()} runs passes until one reports nothing more waiting
     * @param failuresAtStop    failed passes in a row after which draining gives up
     * @param stopTimeout       how long {@link #stop()} waits for the thread before interrupting it
     */
    public record Settings(Duration idle, Duration linger, Backoff failureBackoff, boolean drainOnStop,
            int failuresAtStop, Duration stopTimeout) {

        public Settings {
            Objects.requireNonNull(idle, "idle");
            Objects.requireNonNull(linger, "linger");
            Objects.requireNonNull(failureBackoff, "failureBackoff");
            Objects.requireNonNull(stopTimeout, "stopTimeout");
        }

        /** Idle waits of {@code idle}, failures backing off from {@code idle} to {@code maxBackoff}, no drain. */
        public static Settings polling(Duration idle, Duration maxBackoff, Duration stopTimeout) {
            Duration first = idle.isZero() ? Duration.ofMillis(100) : idle;
            return new Settings(idle, Duration.ZERO, new Backoff(first, maxBackoff.compareTo(first) < 0 ? first
                    : maxBackoff), false, 0, stopTimeout);
        }

        public Settings withLinger(Duration value) {
            return new Settings(idle, value, failureBackoff, drainOnStop, failuresAtStop, stopTimeout);
        }

        public Settings withFailureBackoff(Backoff value) {
            return new Settings(idle, linger, value, drainOnStop, failuresAtStop, stopTimeout);
        }

        public Settings drainingOnStop(int giveUpAfterFailures) {
            return new Settings(idle, linger, failureBackoff, true, giveUpAfterFailures, stopTimeout);
        }
    }

    private final String name;
    private final Pass pass;
    private final Settings settings;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;
    private int failuresInRow;
    private long lastFailureLogNanos;

    public BackgroundPoller(String name, Settings settings, Pass pass) {
        this.name = name;
        this.settings = settings;
        this.pass = pass;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends the current idle or back-off wait: there is work now. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Stops after the current pass (and the drain, if configured); returns once the thread ended or timed out. */
    public void stop() {
        Thread current;
        synchronized (this) {
            running = false;
            current = thread;
            thread = null;
        }
        wake();
        if (current == null) {
            return;
        }
        try {
            current.join(settings.stopTimeout().toMillis());
            if (current.isAlive()) {
                log.warn("{} did not stop within {}; interrupting it", name, settings.stopTimeout());
                current.interrupt();
                current.join(1000);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            Boolean more = runPass();
            if (more == null) {
                if (!waitFor(settings.failureBackoff().after(failuresInRow))) {
                    return;
                }
            }
            else if (!more) {
                if (!waitFor(settings.idle()) || !linger()) {
                    return;
                }
            }
        }
        if (settings.drainOnStop()) {
            drain();
        }
    }

    /** Runs passes until one reports nothing more waiting, or too many fail in a row. */
    private void drain() {
        int failedAtStop = 0;
        while (!Thread.currentThread().isInterrupted()) {
            Boolean more = runPass();
            if (Boolean.FALSE.equals(more)) {
                return;
            }
            if (more == null) {
                if (++failedAtStop >= settings.failuresAtStop()) {
                    log.error("{} gives up draining after {} failed passes at shutdown", name, failedAtStop);
                    return;
                }
                sleep(settings.failureBackoff().after(failedAtStop));
            }
        }
    }

    /** @return the pass's answer, or null if it failed */
    private Boolean runPass() {
        try {
            boolean more = pass.run();
            if (failuresInRow > 0) {
                log.info("{} works again after {} failed passes", name, failuresInRow);
                failuresInRow = 0;
            }
            return more;
        }
        catch (InterruptedException ex) {
            // Only stop() interrupts, after its timeout: end without counting a failure.
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
        catch (Exception ex) {
            failuresInRow++;
            logFailure(ex);
            return null;
        }
    }

    private void logFailure(Exception ex) {
        long now = System.nanoTime();
        if (failuresInRow == 1 || now - lastFailureLogNanos >= FAILURE_LOG_INTERVAL.toNanos()) {
            lastFailureLogNanos = now;
            log.warn("{} pass failed ({} in a row), next try in {} ms: {}", name, failuresInRow,
                    settings.failureBackoff().after(failuresInRow).toMillis(), ex.toString());
        }
    }

    /** Waits, ended early by {@link #wake()} or stop; false if interrupted. */
    private boolean waitFor(Duration duration) {
        if (duration.isZero()) {
            return true;
        }
        synchronized (signal) {
            try {
                long deadline = System.nanoTime() + duration.toNanos();
                long left;
                while (!woken && running && (left = deadline - System.nanoTime()) > 0) {
                    signal.wait(Math.max(1, left / 1_000_000));
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
            finally {
                woken = false;
            }
        }
        return true;
    }

    private boolean linger() {
        return settings.linger().isZero() || !running || sleep(settings.linger());
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
