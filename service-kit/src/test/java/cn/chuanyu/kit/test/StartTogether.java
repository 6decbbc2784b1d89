package cn.chuanyu.kit.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Runs tasks on their own threads, all released at once from a barrier, so that a concurrency test really runs
 * its requests concurrently instead of one after another as threads happen to start. Every wait has a timeout.
 */
public final class StartTogether {

    private StartTogether() {
    }

    /** What one task returned, and when it ran (System.nanoTime()). */
    public record Run<T>(T result, long startedNanos, long endedNanos) {
    }

    /** The results of all tasks, in task order. */
    public record Runs<T>(List<Run<T>> runs) {

        public List<T> results() {
            return runs.stream().map(Run::result).toList();
        }

        /** Whether some instant lies within every task's run: all were in flight at once. */
        public boolean allOverlapped() {
            long lastStart = runs.stream().mapToLong(Run::startedNanos).max().orElseThrow();
            long firstEnd = runs.stream().mapToLong(Run::endedNanos).min().orElseThrow();
            return lastStart < firstEnd;
        }
    }

    /**
     * Runs {@code count} tasks, task i made by {@code task.apply(i)}, each started when all threads are at the
     * barrier. Fails if the threads do not all arrive, or the tasks do not all end, within {@code timeout}.
     */
    public static <T> Runs<T> run(int count, Duration timeout, IntFunction<Callable<T>> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(count);
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<Run<T>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    long started = System.nanoTime();
                    T result = work.call();
                    return new Run<>(result, started, System.nanoTime());
                }));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Run<T>> runs = new ArrayList<>();
            for (Future<Run<T>> future : futures) {
                try {
                    runs.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                }
                catch (TimeoutException ex) {
                    throw new AssertionError(count + " concurrent tasks did not all end within " + timeout, ex);
                }
                catch (ExecutionException ex) {
                    if (ex.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw ex.getCause() instanceof Exception cause ? cause : ex;
                }
            }
            return new Runs<>(runs);
        }
        finally {
            pool.shutdownNow();
        }
    }
}
