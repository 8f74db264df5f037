package dev.kdstream.client.produce;

import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import dev.kdstream.client.produce.stream.FeatureMessage;

/**
 * Labels sent apart from their records, later: a training record that would carry its label goes to
 * {@code features} without it, and the label to {@code labels} once a delay drawn uniformly from
 * [min, max] seconds has passed (seeded, so a run can be repeated). Holdout records keep theirs:
 * they measure the models as they pass. Used by the producer's sending thread only.
 */
final class LabelDelay {

    /** A label to send at {@code dueNanos} ({@link System#nanoTime()}). */
    record Due(long dueNanos, String id, int label) {
    }

    private final double minSeconds;
    private final double maxSeconds;
    private final SplittableRandom random;
    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));

    LabelDelay(final double minSeconds, final double maxSeconds, final long seed) {
        if (!(minSeconds >= 0 && maxSeconds >= minSeconds && maxSeconds <= 86_400)) {
            throw new IllegalArgumentException("a label delay is MIN-MAX seconds with 0 <= MIN <= MAX <= 86400, got "
                    + minSeconds + "-" + maxSeconds);
        }
        this.minSeconds = minSeconds;
        this.maxSeconds = maxSeconds;
        this.random = new SplittableRandom(seed);
    }

    /**
     * {@code --label-delay}: {@code S} (every label S seconds late) or {@code MIN-MAX} (uniform),
     * seconds, decimals allowed.
     */
    static LabelDelay parse(final String text, final long seed) {
        final String[] parts = text.trim().split("-", -1);
        try {
            if (parts.length == 1) {
                final double s = Double.parseDouble(parts[0]);
                return new LabelDelay(s, s, seed);
            }
            if (parts.length == 2) {
                return new LabelDelay(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), seed);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--label-delay is S or MIN-MAX seconds (e.g. 30 or 0-60), got '" + text
                + "'");
    }

    /** The message to send now: {@code m} without its label when the label is to come later. */
    FeatureMessage take(final FeatureMessage m, final long nowNanos) {
        if (m.label() == null || m.holdout()) {
            return m;
        }
        final double delay = minSeconds == maxSeconds ? minSeconds : minSeconds + random.nextDouble()
                * (maxSeconds - minSeconds);
        queue.add(new Due(nowNanos + (long) (delay * 1e9), m.id(), m.label()));
        return new FeatureMessage(m.id(), m.features(), null, m.split(), m.featuresJson());
    }

    /** The next label due by {@code nowNanos}, taken off the queue, or null. */
    Due next(final long nowNanos) {
        return !queue.isEmpty() && queue.peek().dueNanos() <= nowNanos ? queue.poll() : null;
    }

    /** Nanoseconds until the next label is due (0 if one is), or Long.MAX_VALUE for none waiting. */
    long nanosUntilNext(final long nowNanos) {
        return queue.isEmpty() ? Long.MAX_VALUE : Math.max(0, queue.peek().dueNanos() - nowNanos);
    }

    int waiting() {
        return queue.size();
    }

    String describe() {
        return minSeconds == maxSeconds ? String.format(Locale.ROOT, "labels %.0f s later on their own topic",
                minSeconds) : String.format(Locale.ROOT, "labels %.0f-%.0f s later (uniform) on their own topic",
                minSeconds, maxSeconds);
    }
}
