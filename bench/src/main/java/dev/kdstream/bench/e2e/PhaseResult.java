package dev.kdstream.bench.e2e;

import dev.kdstream.client.produce.ProduceSummary;

/**
 * One phase's figures.
 *
 * @param seconds  producer start to the last record through (all stages, and seen by the consumer)
 * @param consumed distinct keys seen on the consumer's topic
 */
record PhaseResult(String path, double rate, ProduceSummary produced, long annotated, long trained,
                   long predicted, long duplicates, double seconds, Percentiles latency, Percentiles served,
                   long consumed) {

    double eventsPerSecond() {
        return produced.acked() / Math.max(1e-3, seconds);
    }

    /** Records acknowledged by the broker that some stage (or the consumer) did not see. */
    long lost() {
        final long least = Math.min(Math.min(annotated, trained), Math.min(predicted, consumed));
        return Math.max(0, produced.acked() - least) + produced.failed();
    }
}
