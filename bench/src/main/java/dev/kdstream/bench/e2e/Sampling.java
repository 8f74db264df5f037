package dev.kdstream.bench.e2e;

import java.util.function.LongSupplier;

/**
 * Samples what is done into a {@link RateCurve.Sampler} every few milliseconds on a thread of its
 * own, from its start until closed: the records being sent count, as the stages work while they are.
 */
final class Sampling implements AutoCloseable {

    private static final long PERIOD_MILLIS = 20;

    private final Thread thread;
    private volatile boolean stop;

    /** @param done records through since the start; read on the sampling thread */
    Sampling(final LongSupplier done, final RateCurve.Sampler sampler) {
        final long start = System.nanoTime();
        this.thread = new Thread(() -> {
            try {
                while (!stop) {
                    sampler.sample((System.nanoTime() - start) / 1_000_000, done.getAsLong());
                    Thread.sleep(PERIOD_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // a stage that failed is reported by the phase's own checks; the curve just ends
            }
        }, "kd-bench-sampling");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sampling; no sample is added after this returns. */
    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
