package dev.kdstream.launcher.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kdstream.contracts.service.Service;

/**
 * Waiting for Ctrl-C (or a SIGTERM) in a command that runs until stopped, with time for the main
 * thread to close what it runs before the JVM halts: a shutdown hook that returns at once lets the
 * JVM halt mid-close.
 */
public final class CtrlC {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * @param grace how long the JVM waits, after the signal, for {@link #closed()}
     */
    public CtrlC(final String name, final Duration grace) {
        Service.onShutdown(name + "-shutdown", () -> {
            stopped.countDown();
            try {
                closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Blocks until the signal. */
    public void await() throws InterruptedException {
        stopped.await();
    }

    /** Everything is closed: the JVM may halt. */
    public void closed() {
        closed.countDown();
    }
}
