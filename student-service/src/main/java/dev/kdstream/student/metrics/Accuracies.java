package dev.kdstream.student.metrics;

import dev.kdstream.model.eval.Accuracy;

/**
 * The accuracy of the three models on the same records, and the knowledge the distilled student
 * recovered from the gap between ensemble and baseline.
 */
public record Accuracies(double teacher, double distilled, double baseline) {

    public static final Accuracies NONE = new Accuracies(Double.NaN, Double.NaN, Double.NaN);

    /** (distilled - baseline) / (teacher - baseline); NaN without data or without a gap. */
    public double recovered() {
        return Accuracy.recovered(teacher, distilled, baseline);
    }
}
