package dev.kdstream.student.metrics;

import dev.kdstream.model.eval.KnowledgeRecovered;

/**
 * An immutable snapshot of the trainer's evaluation, safe to read from any thread (the metrics
 * scrape, the status line).
 *
 * @param window      prequential accuracy over the last window of labelled, non-holdout records (its
 *                    {@link Accuracies#records()} says how many it holds)
 * @param cumulative  prequential accuracy over every labelled, non-holdout record since start
 * @param holdout     accuracy over the last window of labelled holdout records
 * @param agreement   share of the last window of records where distilled student and ensemble agree
 * @param klToTeacher mean KL(soft targets || softmax(distilled logits / T)) over the last window
 * @param prequentialRecords labelled, non-holdout records evaluated since start
 * @param holdoutRecords     labelled holdout records evaluated since start
 */
public record Evaluation(Accuracies window, Accuracies cumulative, Accuracies holdout, double agreement,
                         double klToTeacher, long prequentialRecords, long holdoutRecords) {

    public static final Evaluation EMPTY = new Evaluation(Accuracies.NONE, Accuracies.NONE, Accuracies.NONE,
            Double.NaN, Double.NaN, 0, 0);

    /** Knowledge recovered on the prequential window. */
    public KnowledgeRecovered recoveredWindow() {
        return window.recovered();
    }
}
