package dev.kdstream.client.query;

import java.util.Locale;

import dev.kdstream.contracts.records.Prediction;

/** One human-readable line per prediction, for {@code ./kd query}. */
public final class PredictionFormat {

    private PredictionFormat() {
    }

    /**
     * E.g. {@code p3-1207  class=1 p=0.973  label=1 (correct)  split=train    model=v12 student=student  latency=35 ms}.
     * Latency is event time ({@code ts}) to the moment the prediction was served.
     */
    public static String line(final StoredPrediction stored) {
        final Prediction p = stored.prediction();
        if (p == null) {
            return String.format(Locale.ROOT, "%-12s unreadable value at partition %d offset %d: %s",
                    stored.key(), stored.partition(), stored.offset(), stored.error());
        }
        final double[] probabilities = p.probabilities();
        final int k = p.predictedClass();
        final String probability = probabilities != null && k >= 0 && k < probabilities.length
                ? String.format(Locale.ROOT, "%.3f", probabilities[k]) : "?";
        final String label = p.label() == null ? "-"
                : p.label() + (p.label() == k ? " (correct)" : " (wrong)");
        return String.format(Locale.ROOT, "%-12s class=%d p=%s  label=%-11s split=%-7s  model=v%d%s  latency=%d ms",
                p.id(), k, probability, label, p.split(), p.modelVersion(),
                p.student() == null ? "" : " student=" + p.student(), p.servedAt() - p.ts());
    }
}
