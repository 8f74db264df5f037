package dev.kdstream.client.produce;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The producer's progress on a console: a bar redrawn in place on a terminal, or a plain line
 * every 10% (every 10 s for an endless stream) when the output is a file or a pipe. The rate
 * shown is the current one, over the time since the previous update.
 */
final class ProgressLine implements ProgressListener {

    private static final int WIDTH = 24;
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final boolean interactive;
    private long previousSent;
    private long previousNanos;
    private double currentRate;
    private int lastDecile = -1;
    private long lastLogNanos;
    private boolean drawn;

    ProgressLine(final PrintStream out, final boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** On standard error, redrawn in place when there is a terminal. */
    static ProgressLine onStderr() {
        return new ProgressLine(System.err, System.console() != null);
    }

    @Override
    public synchronized void onProgress(final ProducerProgress p) {
        final long dt = p.elapsedNanos() - previousNanos;
        if (dt > 0) {
            currentRate = (p.sent() - previousSent) * 1e9 / dt;
        }
        previousSent = p.sent();
        previousNanos = p.elapsedNanos();
        if (interactive) {
            // erase to the end of the line: the new text may be shorter than the old
            out.print("\r" + render(p, currentRate) + "\u001b[K");
            out.flush();
            drawn = true;
            return;
        }
        final boolean due;
        if (p.total() > 0) {
            final int decile = (int) (10 * Math.min(p.sent(), p.total()) / p.total());
            due = decile > lastDecile;
            lastDecile = Math.max(lastDecile, decile);
        } else {
            due = p.elapsedNanos() - lastLogNanos >= LOG_EVERY_NANOS;
        }
        if (due) {
            out.println(render(p, currentRate));
            lastLogNanos = p.elapsedNanos();
        }
    }

    /** Ends the redrawn line, so what follows starts on its own. */
    synchronized void finish() {
        if (interactive && drawn) {
            out.println();
            drawn = false;
        }
    }

    static String render(final ProducerProgress p, final double rate) {
        final StringBuilder s = new StringBuilder("produce ");
        if (p.total() > 0) {
            final double fraction = Math.min(1.0, (double) p.sent() / p.total());
            final int filled = (int) Math.round(fraction * WIDTH);
            s.append(String.format(Locale.ROOT, "[%s%s] %3.0f%% %d/%d sent", "#".repeat(filled),
                    ".".repeat(WIDTH - filled), fraction * 100, p.sent(), p.total()));
        } else {
            s.append(String.format(Locale.ROOT, "%d sent", p.sent()));
        }
        s.append(String.format(Locale.ROOT, ", %d acked", p.acked()));
        if (p.failed() > 0) {
            s.append(String.format(Locale.ROOT, ", %d FAILED", p.failed()));
        }
        s.append(String.format(Locale.ROOT, ", %,.0f/s, %.1f s", rate, p.elapsedNanos() / 1e9));
        return s.toString();
    }
}
