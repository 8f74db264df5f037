package dev.kdstream.bench.e2e;

import java.util.Arrays;

/**
 * Latency percentiles of one measured phase, in milliseconds, by nearest rank over every sample
 * (no histogram buckets: a few hundred thousand longs sort in milliseconds).
 *
 * @param count samples
 */
record Percentiles(long count, long p50, long p99, long p999, long max) {

    static final Percentiles NONE = new Percentiles(0, -1, -1, -1, -1);

    /** Of the first {@code n} values of {@code samples} (sorted in place). */
    static Percentiles of(final long[] samples, final int n) {
        if (n == 0) {
            return NONE;
        }
        Arrays.sort(samples, 0, n);
        return new Percentiles(n, rank(samples, n, 0.50), rank(samples, n, 0.99), rank(samples, n, 0.999),
                samples[n - 1]);
    }

    /** Nearest rank: the smallest value with at least {@code q} of the samples at or below it. */
    static long rank(final long[] sorted, final int n, final double q) {
        final int index = (int) Math.ceil(q * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, index))];
    }
}
