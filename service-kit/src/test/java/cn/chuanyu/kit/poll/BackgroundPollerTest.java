package cn.chuanyu.kit.poll;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundPollerTest {

    private BackgroundPoller poller;

    @AfterEach
    void stopPoller() {
        if (poller != null) {
            poller.stop();
        }
    }

    @Test
    void failedPassesBackOffExponentiallyUpToTheCeilingAndResetOnSuccess() throws Exception {
        List<Long> starts = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        poller = new BackgroundPoller("test-backoff", BackgroundPoller.Settings.polling(Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(5))
                .withFailureBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400))), () -> {
                    starts.add(System.nanoTime());
                    int call = calls.incrementAndGet();
                    if (call <= 6) {
                        throw new IllegalStateException("database down (" + call + ")");
                    }
                    done.countDown();
                    return false;
                });
        poller.start();

        assertThat(done.await(10, TimeUnit.SECONDS)).as("a pass succeeded after the failures").isTrue();
        // Gaps after failures 1..6: 50, 100, 200, 400, 400, 400 ms (the ceiling). Lower bounds are exact (the
        // poller never waits less); upper bounds are loose for a busy machine.
        long[] expectedMs = {50, 100, 200, 400, 400, 400};
        for (int i = 0; i < expectedMs.length; i++) {
            long gapMs = TimeUnit.NANOSECONDS.toMillis(starts.get(i + 1) - starts.get(i));
            assertThat(gapMs).as("wait after failure %d", i + 1).isBetween(expectedMs[i] - 5, expectedMs[i] + 1500);
        }
    }

    @Test
    void aFullBatchRunsTheNextPassAtOnceAndAnIdlePassWaitsUntilWoken() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch idle = new CountDownLatch(1);
        CountDownLatch afterWake = new CountDownLatch(1);
        poller = new BackgroundPoller("test-idle", BackgroundPoller.Settings.polling(Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofSeconds(5)), () -> {
                    int call = calls.incrementAndGet();
                    if (call == 3) {
                        idle.countDown();
                    }
                    if (call == 4) {
                        afterWake.countDown();
                    }
                    return call < 3; // two full batches, then nothing more waiting
                });
        poller.start();

        assertThat(idle.await(10, TimeUnit.SECONDS)).as("full batches ran back to back").isTrue();
        Thread.sleep(300);
        assertThat(calls.get()).as("idle: no pass before the 10 min interval").isEqualTo(3);
        poller.wake();
        assertThat(afterWake.await(10, TimeUnit.SECONDS)).as("wake() ended the idle wait").isTrue();
    }

    @Test
    void stopEndsAnIdleWaitAtOnceAndEndsTheThread() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        poller = new BackgroundPoller("test-stop", BackgroundPoller.Settings.polling(Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofSeconds(5)), () -> {
                    ran.countDown();
                    return false;
                });
        poller.start();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        poller.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(poller.isRunning()).isFalse();
        assertThat(threadsNamed("test-stop")).isZero();
    }

    @Test
    void stopLetsThePassInFlightFinishThenDrainsWhatIsLeft() throws Exception {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        List<String> written = new CopyOnWriteArrayList<>();
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        poller = new BackgroundPoller("test-drain", new BackgroundPoller.Settings(Duration.ofMinutes(10),
                Duration.ZERO, new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)), true, 3,
                Duration.ofSeconds(10)), () -> {
                    if (inPass.getCount() > 0) {
                        inPass.countDown();
                        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                    }
                    String item = queue.poll();
                    if (item == null) {
                        return false;
                    }
                    written.add(item);
                    return true;
                });
        poller.start();
        assertThat(inPass.await(10, TimeUnit.SECONDS)).isTrue();

        Thread stopper = new Thread(poller::stop);
        stopper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (poller.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(poller.isRunning()).as("stop() began").isFalse();
        queue.addAll(List.of("a", "b", "c")); // arrived while stopping, as requests still in flight at shutdown
        release.countDown();
        stopper.join(15_000);

        assertThat(stopper.isAlive()).as("stop() returned").isFalse();
        assertThat(written).as("the pass in flight finished (not interrupted), the drain took the rest")
                .containsExactly("a", "b", "c");
        assertThat(threadsNamed("test-drain")).isZero();
    }

    @Test
    void drainingGivesUpAfterTheConfiguredFailuresInARow() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        poller = new BackgroundPoller("test-give-up", new BackgroundPoller.Settings(Duration.ofMinutes(10),
                Duration.ZERO, new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)), true, 5,
                Duration.ofSeconds(10)), () -> {
                    first.countDown();
                    if (calls.incrementAndGet() == 1) {
                        return false;
                    }
                    throw new IllegalStateException("database down");
                });
        poller.start();
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();

        poller.stop();

        assertThat(calls.get()).as("one pass while running, then five failed drain passes").isEqualTo(6);
        assertThat(threadsNamed("test-give-up")).isZero();
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .count();
    }
}
