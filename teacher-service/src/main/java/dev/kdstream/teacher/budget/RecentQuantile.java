package dev.kdstream.teacher.budget;

import java.util.Arrays;

/**
 * A quantile of the last {@code capacity} values seen: the uncertainty sampler's threshold, so that
 * the share of records above it tracks the share it wants as the student (and so its uncertainty)
 * changes. Sorted again every {@code every} values, not per value: the threshold moves slowly, and
 * a sort per record would cost more than the student's forward pass. Not thread-safe.
 */
public final class RecentQuantile {

    private final double[] values;
    private final int every;
    private final double[] sorted;
    private int size;
    /** How many values {@link #sorted} holds: the size at the last sort. */
    private int sortedSize;
    private int next;
    private int sinceSort;

    public RecentQuantile(final int capacity, final int every) {
        if (capacity < 1 || every < 1) {
            throw new IllegalArgumentException("capacity and every must be >= 1");
        }
        this.values = new double[capacity];
        this.sorted = new double[capacity];
        this.every = every;
    }

    public void add(final double value) {
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
        if (++sinceSort >= every || size <= every) {
            System.arraycopy(values, 0, sorted, 0, size);
            Arrays.sort(sorted, 0, size);
            sortedSize = size;
            sinceSort = 0;
        }
    }

    /** Values seen, up to the capacity. */
    public int size() {
        return size;
    }

    /**
     * The value with a share {@code q} of the recent values at or below it (nearest rank), as of the
     * last sort; NaN before any value.
     */
    public double quantile(final double q) {
        if (sortedSize == 0) {
            return Double.NaN;
        }
        final int rank = (int) Math.ceil(q * sortedSize);
        return sorted[Math.min(sortedSize - 1, Math.max(0, rank - 1))];
    }
}
