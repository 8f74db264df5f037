package dev.kdstream.student.metrics;

import dev.kdstream.model.eval.KnowledgeRecovered;

/**
 * Test-then-train evaluation of the ensemble, the distilled student and the baseline on one
 * stream. The trainer feeds it each record's predictions (made before the models train on the
 * record) and takes {@link #snapshot()}s. Not thread-safe: one trainer thread owns it.
 */
public final class PrequentialEvaluator {

    private final RollingOutcomes window;
    private final RollingOutcomes holdoutWindow;
    /** Every labelled, non-holdout record since start, by outcome pattern. */
    private final long[] cumulative = new long[8];
    private final RollingAccuracy agreement;
    private final RollingMean kl;
    private long prequential;
    private long holdout;

    /** @param window records in each rolling window */
    public PrequentialEvaluator(final int window) {
        this.window = new RollingOutcomes(window);
        this.holdoutWindow = new RollingOutcomes(window);
        agreement = new RollingAccuracy(window);
        kl = new RollingMean(window);
    }

    /**
     * One record's predicted classes (argmax) and, for the distilled student, its KL to the
     * teacher's soft targets.
     *
     * @param label   the true class, or null for an unlabelled record
     * @param holdout a holdout record (scored on the holdout window, never trained on)
     */
    public void record(final Integer label, final boolean holdout, final int teacher, final int distilled,
                       final int baseline, final double klToTeacher) {
        agreement.add(teacher == distilled);
        kl.add(klToTeacher);
        if (label != null) {
            labelled(label, holdout, teacher, distilled, baseline);
        }
    }

    /**
     * A late label for a record {@link #record recorded} before without one: its predictions, made
     * then, scored against it now (delayed prequential evaluation). The agreement and KL took the
     * record when it came.
     */
    public void labelled(final int y, final boolean holdout, final int teacher, final int distilled,
                         final int baseline) {
        if (holdout) {
            this.holdout++;
            holdoutWindow.add(teacher == y, distilled == y, baseline == y);
        } else {
            prequential++;
            window.add(teacher == y, distilled == y, baseline == y);
            cumulative[KnowledgeRecovered.pattern(teacher == y, distilled == y, baseline == y)]++;
        }
    }

    public Evaluation snapshot() {
        return new Evaluation(window.accuracies(), Accuracies.of(cumulative), holdoutWindow.accuracies(),
                agreement.accuracy(), kl.mean(), prequential, holdout);
    }
}
