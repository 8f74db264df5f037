package dev.kdstream.bench.e2e;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Whether a quantity stayed flat over a soak, from the samples after the warm-up: the mean of its
 * first window against the mean of its last window (growth), and its range over the whole span.
 * Means over a window rather than single samples, because the JVM's heap breathes with every GC.
 *
 * @param firstMean mean over the first window after the warm-up
 * @param lastMean  mean over the last window
 * @param min       smallest sample after the warm-up
 * @param max       largest sample after the warm-up
 */
record MemoryDrift(double firstMean, double lastMean, long min, long max) {

    /** Last window's mean over the first's, minus one: 0.05 is 5 % growth. */
    double growth() {
        return lastMean / firstMean - 1;
    }

    /** (max - min) / min over the span. */
    double spread() {
        return (double) (max - min) / min;
    }

    /**
     * @param samples in time order
     * @param warmupSeconds samples before this are ignored
     * @param windowSeconds length of the first and last windows
     */
    static MemoryDrift of(final List<MemorySample> samples, final double warmupSeconds, final double windowSeconds,
                          final ToLongFunction<MemorySample> quantity) {
        final List<MemorySample> span = samples.stream().filter(s -> s.seconds() >= warmupSeconds).toList();
        if (span.size() < 2) {
            throw new IllegalArgumentException("need at least two samples after the warm-up, got " + span.size());
        }
        final double start = span.get(0).seconds();
        final double end = span.get(span.size() - 1).seconds();
        final double first = mean(span.stream().filter(s -> s.seconds() <= start + windowSeconds).toList(), quantity);
        final double last = mean(span.stream().filter(s -> s.seconds() >= end - windowSeconds).toList(), quantity);
        final long min = span.stream().mapToLong(quantity).min().orElseThrow();
        final long max = span.stream().mapToLong(quantity).max().orElseThrow();
        return new MemoryDrift(first, last, min, max);
    }

    private static double mean(final List<MemorySample> samples, final ToLongFunction<MemorySample> quantity) {
        return samples.stream().mapToLong(quantity).average().orElseThrow();
    }
}
