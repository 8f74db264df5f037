package dev.kdstream.student.metrics;

/**
 * Mean of the last {@code window} values, in a ring buffer. The running sum is recomputed from
 * the buffer once per lap, so subtract-and-add rounding never accumulates over a long stream.
 * NaN before the first value. Not thread-safe.
 */
public final class RollingMean {

    private final double[] ring;
    private int next;
    private int size;
    private double sum;

    public RollingMean(final int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        this.ring = new double[window];
    }

    public void add(final double value) {
        if (size == ring.length) {
            sum -= ring[next];
        } else {
            size++;
        }
        ring[next] = value;
        sum += value;
        next = (next + 1) % ring.length;
        if (next == 0) {
            double exact = 0;
            for (int i = 0; i < size; i++) {
                exact += ring[i];
            }
            sum = exact;
        }
    }

    public double mean() {
        return size == 0 ? Double.NaN : sum / size;
    }

    public int size() {
        return size;
    }
}
