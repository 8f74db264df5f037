package dev.kdstream.student.metrics;

/**
 * Accuracy over the last {@code window} outcomes, in a ring buffer: O(1) per outcome, no
 * allocation. NaN before the first outcome. Not thread-safe: the trainer thread owns it and
 * publishes immutable {@link Evaluation} snapshots.
 */
public final class RollingAccuracy {

    private final boolean[] ring;
    private int next;
    private int size;
    private int correct;

    public RollingAccuracy(final int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        this.ring = new boolean[window];
    }

    public void add(final boolean hit) {
        if (size == ring.length) {
            if (ring[next]) {
                correct--;
            }
        } else {
            size++;
        }
        ring[next] = hit;
        if (hit) {
            correct++;
        }
        next = (next + 1) % ring.length;
    }

    public double accuracy() {
        return size == 0 ? Double.NaN : (double) correct / size;
    }

    /** Outcomes in the window (at most the window size). */
    public int size() {
        return size;
    }

    public int window() {
        return ring.length;
    }
}
