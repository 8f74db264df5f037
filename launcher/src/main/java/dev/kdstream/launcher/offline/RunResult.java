package dev.kdstream.launcher.offline;

/**
 * One seed of the offline experiment: test accuracies (fractions 0..1) and seconds per phase.
 *
 * @param agreement student-ensemble agreement on the test split
 * @param klToTeacher mean KL(ensemble soft targets || student at T) on the test split
 */
public record RunResult(long seed, double ensembleAcc, double distilledAcc, double baselineAcc,
                        double agreement, double klToTeacher, Timings timings) {

    /** Wall seconds per phase. The two students train side by side, so their times overlap. */
    public record Timings(double teachers, double softTargets, double distill, double baseline, double total) {
    }
}
