package dev.kdstream.student.metrics;

import dev.kdstream.model.eval.KnowledgeRecovered;

/**
 * The last {@code window} records' outcomes for the three models (which of them were right), in a
 * ring buffer, as counts of each outcome pattern: O(1) per record, no allocation. Not thread-safe:
 * the trainer thread owns it and publishes immutable {@link Accuracies}.
 */
final class RollingOutcomes {

    private final byte[] ring;
    private final long[] patterns = new long[8];
    private int next;
    private int size;

    RollingOutcomes(final int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        this.ring = new byte[window];
    }

    void add(final boolean teacherRight, final boolean distilledRight, final boolean baselineRight) {
        if (size == ring.length) {
            patterns[ring[next]]--;
        } else {
            size++;
        }
        final int p = KnowledgeRecovered.pattern(teacherRight, distilledRight, baselineRight);
        ring[next] = (byte) p;
        patterns[p]++;
        next = (next + 1) % ring.length;
    }

    Accuracies accuracies() {
        return Accuracies.of(patterns);
    }
}
