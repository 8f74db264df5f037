package dev.kdstream.bench;

import java.util.Arrays;

/** The median the benchmarks report: robust to the odd slow round on a shared machine. */
final class Median {

    private Median() {
    }

    /** The middle value, or the mean of the two middle values for an even count. */
    static double of(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
