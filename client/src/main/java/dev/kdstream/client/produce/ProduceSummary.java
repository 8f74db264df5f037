package dev.kdstream.client.produce;

import java.time.Duration;
import java.util.Locale;

/**
 * How a producer run ended.
 *
 * @param completed  the whole stream was sent (false: stopped early, or a send failed)
 * @param elapsed    from the start to the last acknowledgement
 * @param firstError the first failure (a send the broker did not acknowledge), or null
 * @param labels     of {@code sent}, the labels sent apart from their records ({@code --label-delay})
 * @param labelsUnsent labels still waiting for their time when the run stopped
 */
public record ProduceSummary(long sent, long acked, long failed, boolean completed, Duration elapsed,
                             String firstError, long labels, long labelsUnsent) {

    public ProduceSummary(final long sent, final long acked, final long failed, final boolean completed,
                          final Duration elapsed, final String firstError) {
        this(sent, acked, failed, completed, elapsed, firstError, 0, 0);
    }

    /** Every record sent was acknowledged: the only outcome that exits 0. */
    public boolean successful() {
        return failed == 0 && acked == sent && firstError == null;
    }

    /** Acknowledged records per second over the run. */
    public double meanRate() {
        final double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : acked / seconds;
    }

    /** A few lines for a console. */
    public String describe() {
        final StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "records sent:   %d%s%n", sent, completed ? "" : " (stopped early)"));
        if (labels > 0 || labelsUnsent > 0) {
            s.append(String.format(Locale.ROOT, "  of which labels: %d, sent apart from their records%s%n", labels,
                    labelsUnsent > 0 ? "; " + labelsUnsent + " not sent (stopped before their time)" : ""));
        }
        s.append(String.format(Locale.ROOT, "acknowledged:   %d%n", acked));
        s.append(String.format(Locale.ROOT, "failed:         %d%n", failed));
        if (sent - acked - failed > 0) {
            s.append(String.format(Locale.ROOT, "unanswered:     %d (the producer closed before the broker replied)%n",
                    sent - acked - failed));
        }
        s.append(String.format(Locale.ROOT, "elapsed:        %.2f s%n", elapsed.toNanos() / 1e9));
        s.append(String.format(Locale.ROOT, "mean rate:      %.0f records/s", meanRate()));
        if (firstError != null) {
            s.append(String.format(Locale.ROOT, "%nfirst error:    %s", firstError));
        }
        return s.toString();
    }
}
