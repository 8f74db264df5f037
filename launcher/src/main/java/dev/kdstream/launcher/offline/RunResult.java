package dev.kdstream.launcher.offline;

import java.util.List;

import dev.kdstream.model.eval.KnowledgeRecovered;

/**
 * One seed of the offline experiment: test accuracies (fractions 0..1), which test records each
 * model got right, and seconds per phase.
 *
 * @param agreement student-ensemble agreement on the test split
 * @param klToTeacher mean KL(ensemble soft targets || student at T) on the test split
 * @param curve       both students scored on the test split after every epoch, or {@link LearningCurve#NONE}
 */
public record RunResult(long seed, double ensembleAcc, double distilledAcc, double baselineAcc,
                        double agreement, double klToTeacher, Outcomes outcomes, Timings timings,
                        LearningCurve curve) {

    /** Knowledge recovered on this seed's test records. */
    public KnowledgeRecovered recovered() {
        return Outcomes.recovered(List.of(outcomes));
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

        /**
         * Knowledge recovered over seeds scored on the same test records: per record, each model's
         * right-or-wrong averaged over the seeds, then Fieller's interval over the records.
         */
        public static KnowledgeRecovered recovered(final List<Outcomes> seeds) {
            final int n = seeds.get(0).records();
            for (final Outcomes o : seeds) {
                if (o.records() != n) {
                    throw new IllegalArgumentException("seeds scored on test splits of " + n + " and "
                            + o.records() + " records");
                }
            }
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double syy = 0;
            double sxy = 0;
            for (int i = 0; i < n; i++) {
                double x = 0;
                double y = 0;
                for (final Outcomes o : seeds) {
                    final int b = o.baseline()[i] ? 1 : 0;
                    x += (o.ensemble()[i] ? 1 : 0) - b;
                    y += (o.distilled()[i] ? 1 : 0) - b;
                }
                x /= seeds.size();
                y /= seeds.size();
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
            }
            return KnowledgeRecovered.fromSums(n, sx, sy, sxx, syy, sxy);
        }
    }

    /** One student on the test split after an epoch: which records it got right, and how often it picks the ensemble's class. */
    public record EpochScore(boolean[] correct, double agreement) {

        public double accuracy() {
            int right = 0;
            for (final boolean c : correct) {
                right += c ? 1 : 0;
            }
            return correct.length == 0 ? Double.NaN : (double) right / correct.length;
        }
    }

    /** Both students' {@link EpochScore}s, epoch by epoch; each epoch trains on {@code recordsPerEpoch} records. */
    public record LearningCurve(int recordsPerEpoch, List<EpochScore> distilled, List<EpochScore> baseline) {

        public static final LearningCurve NONE = new LearningCurve(0, List.of(), List.of());

        public LearningCurve {
            distilled = List.copyOf(distilled);
            baseline = List.copyOf(baseline);
            if (distilled.size() != baseline.size()) {
                throw new IllegalArgumentException(distilled.size() + " distilled epochs but " + baseline.size()
                        + " baseline epochs");
            }
        }

        public int epochs() {
            return distilled.size();
        }
    }

    /** Wall seconds per phase. The two students train side by side, so their times overlap. */
    public record Timings(double teachers, double softTargets, double distill, double baseline, double total) {
    }
}
