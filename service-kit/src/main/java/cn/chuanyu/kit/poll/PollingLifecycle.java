package cn.chuanyu.kit.poll;

import org.springframework.context.SmartLifecycle;

/**
 * A bean whose work runs as passes on one {@link BackgroundPoller}, started and stopped with the application
 * context. Subclasses say what one pass does; they may choose their phase ({@link #getPhase()}) and add to
 * {@link #start()} or {@link #stop()}, calling these.
 */
public abstract class PollingLifecycle implements SmartLifecycle {

    private final BackgroundPoller poller;

    protected PollingLifecycle(String name, BackgroundPoller.Settings settings) {
        // The poller calls pass() only once started, after the subclass's constructor has run.
        this.poller = new BackgroundPoller(name, settings, this::pass);
    }

    /**
     * One pass of the work.
     *
     * @return true if more work is probably waiting (a full batch was done), so the next pass starts at once
     */
    protected abstract boolean pass() throws Exception;

    /** Ends the current idle or back-off wait: there is work now. */
    public void wake() {
        poller.wake();
    }

    @Override
    public void start() {
        poller.start();
    }

    @Override
    public void stop() {
        poller.stop();
    }

    @Override
    public boolean isRunning() {
        return poller.isRunning();
    }
}
