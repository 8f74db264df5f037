package dev.kdstream.teacher.refresh;

import dev.kdstream.contracts.data.Dataset;

/**
 * The labelled training records the teacher read since a mark ({@link #mark()}), up to a capacity:
 * what a refresh of the ensemble learns from. Holds the newest ones once full. Thread-safe: the
 * stream threads add, the refresher takes a snapshot.
 */
public final class RecentLabelled {

    private final double[][] features;
    private final int[] labels;
    /** Records added since the mark (may exceed the capacity: the oldest were overwritten). */
    private long sinceMark;
    private int next;

    public RecentLabelled(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.features = new double[capacity][];
        this.labels = new int[capacity];
    }

    public synchronized void add(final double[] x, final int label) {
        features[next] = x;
        labels[next] = label;
        next = (next + 1) % features.length;
        sinceMark++;
    }

    /** Forgets what was added so far: from now on only newer records count. */
    public synchronized void mark() {
        sinceMark = 0;
    }

    /** Records added since the mark. */
    public synchronized long sinceMark() {
        return sinceMark;
    }

    /** The records added since the mark (the newest {@code capacity} of them), oldest first. */
    public synchronized Dataset snapshot(final int classes, final String source) {
        final int n = (int) Math.min(sinceMark, features.length);
        final double[][] x = new double[n][];
        final int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            final int at = Math.floorMod(next - n + i, features.length);
            x[i] = features[at];
            y[i] = labels[at];
        }
        return new Dataset(source, x, y, classes);
    }
}
