package dev.kdstream.contracts.console;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal ({@code \r} redraw), or a line per 10% when the output is
 * a file or a pipe, so logs stay readable. Thread-safe: training threads report concurrently.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private int lastDecile = -1;
    private boolean finished;

    public ProgressBar(final String label, final long total, final PrintStream out, final boolean interactive) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
        this.interactive = interactive;
    }

    /** On standard error, redrawn in place when standard output is a terminal. */
    public static ProgressBar onStderr(final String label, final long total) {
        return new ProgressBar(label, total, System.err, System.console() != null);
    }

    /** Draws nothing (for --quiet and tests). */
    public static ProgressBar silent(final String label, final long total) {
        return new ProgressBar(label, total, new PrintStream(OutputStream.nullOutputStream()), false);
    }

    public synchronized void update(final long done) {
        if (finished) {
            return;
        }
        final long now = System.nanoTime();
        if (interactive) {
            if (now - lastDrawNanos > 100_000_000L || done >= total) {
                out.print("\r" + render(done, now));
                out.flush();
                lastDrawNanos = now;
            }
        } else {
            final int decile = (int) (10 * Math.min(done, total) / total);
            if (decile > lastDecile) {
                out.println(render(done, now));
                lastDecile = decile;
            }
        }
    }

    /** Completes the bar and ends its line. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        update(total);
        if (interactive) {
            out.println();
        }
        finished = true;
    }

    String render(final long done, final long nowNanos) {
        final double fraction = Math.min(1.0, (double) done / total);
        final int filled = (int) Math.round(fraction * WIDTH);
        final double seconds = (nowNanos - startNanos) / 1e9;
        return String.format(Locale.ROOT, "%-18s [%s%s] %3.0f%% %d/%d %6.1f s", label,
                "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100, done, total, seconds);
    }
}
