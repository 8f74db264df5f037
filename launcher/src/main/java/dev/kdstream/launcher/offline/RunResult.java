package dev.kdstream.launcher.offline;

import dev.kdstream.model.eval.KnowledgeRecovered;

/**
 * One seed of the offline experiment: test accuracies (fractions 0..1), which test records each
 * model got right, and seconds per phase.
 *
 * @param agreement student-ensemble agreement on the test split
 * @param klToTeacher mean KL(ensemble soft targets || student at T) on the test split
 */
public record RunResult(long seed, double ensembleAcc, double distilledAcc, double baselineAcc,
                        double agreement, double klToTeacher, Outcomes outcomes, Timings timings) {

    /** Knowledge recovered on this seed's test records. */
    public KnowledgeRecovered recovered() {
        final long[] patterns = new long[8];
        for (int i = 0; i < outcomes.records(); i++) {
            patterns[KnowledgeRecovered.pattern(outcomes.ensemble()[i], outcomes.distilled()[i],
                    outcomes.baseline()[i])]++;
        }
        return KnowledgeRecovered.of(patterns);
    }

    /** Per test record, in order, whether each model got it right. */
    public record Outcomes(boolean[] ensemble, boolean[] distilled, boolean[] baseline) {

        public Outcomes {
            if (distilled.length != ensemble.length || baseline.length != ensemble.length) {
                throw new IllegalArgumentException("outcomes of different lengths: " + ensemble.length + ", "
                        + distilled.length + ", " + baseline.length);
            }
        }

        public int records() {
            return ensemble.length;
        }
    }

    /** Wall seconds per phase. The two students train side by side, so their times overlap. */
    public record Timings(double teachers, double softTargets, double distill, double baseline, double total) {
    }
}
