package dev.kdstream.student.metrics;

/**
 * Test-then-train evaluation of the ensemble, the distilled student and the baseline on one
 * stream. The trainer feeds it each record's predictions (made before the models train on the
 * record) and takes {@link #snapshot()}s. Not thread-safe: one trainer thread owns it.
 */
public final class PrequentialEvaluator {

    private final RollingAccuracy windowTeacher;
    private final RollingAccuracy windowDistilled;
    private final RollingAccuracy windowBaseline;
    private final RollingAccuracy holdoutTeacher;
    private final RollingAccuracy holdoutDistilled;
    private final RollingAccuracy holdoutBaseline;
    private final RollingAccuracy agreement;
    private final RollingMean kl;
    private long prequential;
    private long holdout;
    private long teacherHits;
    private long distilledHits;
    private long baselineHits;

    /** @param window records in each rolling window */
    public PrequentialEvaluator(final int window) {
        windowTeacher = new RollingAccuracy(window);
        windowDistilled = new RollingAccuracy(window);
        windowBaseline = new RollingAccuracy(window);
        holdoutTeacher = new RollingAccuracy(window);
        holdoutDistilled = new RollingAccuracy(window);
        holdoutBaseline = new RollingAccuracy(window);
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
        if (label == null) {
            return;
        }
        final int y = label;
        if (holdout) {
            this.holdout++;
            holdoutTeacher.add(teacher == y);
            holdoutDistilled.add(distilled == y);
            holdoutBaseline.add(baseline == y);
        } else {
            prequential++;
            windowTeacher.add(teacher == y);
            windowDistilled.add(distilled == y);
            windowBaseline.add(baseline == y);
            teacherHits += teacher == y ? 1 : 0;
            distilledHits += distilled == y ? 1 : 0;
            baselineHits += baseline == y ? 1 : 0;
        }
    }

    public Evaluation snapshot() {
        final Accuracies cumulative = prequential == 0 ? Accuracies.NONE
                : new Accuracies((double) teacherHits / prequential, (double) distilledHits / prequential,
                        (double) baselineHits / prequential);
        return new Evaluation(
                new Accuracies(windowTeacher.accuracy(), windowDistilled.accuracy(), windowBaseline.accuracy()),
                cumulative,
                new Accuracies(holdoutTeacher.accuracy(), holdoutDistilled.accuracy(), holdoutBaseline.accuracy()),
                agreement.accuracy(), kl.mean(), prequential, holdout);
    }
}
