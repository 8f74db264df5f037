package dev.kdstream.student.trainer;

import java.util.Locale;

import dev.kdstream.student.metrics.Accuracies;
import dev.kdstream.student.metrics.Evaluation;

/**
 * What the trainer is doing, as an immutable snapshot the trainer thread publishes after every
 * poll: safe to read from any thread (metrics scrape, the stack's status line, health checks).
 *
 * @param version        the newest checkpoint version written (or restored); 0 before the first
 * @param recordsTrained soft-target records consumed since the trainer first started (across restarts)
 * @param recordsRestored of those, the ones trained before this process, as the checkpoint it resumed from says
 * @param lag            records in soft-targets not yet read, or -1 when unknown
 * @param deadLetters    soft-target records skipped as invalid by this process
 * @param checkpoints    checkpoints written by this process
 */
public record TrainerStatus(String trainerId, State state, long version, long recordsTrained, long recordsRestored,
                            long lag, long deadLetters, long checkpoints, Evaluation evaluation) {

    /** Where the trainer is in its life. */
    public enum State { STARTING, RUNNING, STOPPED, FAILED }

    public static TrainerStatus starting(final String trainerId, final long version, final long recordsTrained) {
        return new TrainerStatus(trainerId, State.STARTING, version, recordsTrained, recordsTrained, -1, 0, 0,
                Evaluation.EMPTY);
    }

    public TrainerStatus withState(final State newState) {
        return new TrainerStatus(trainerId, newState, version, recordsTrained, recordsRestored, lag, deadLetters,
                checkpoints, evaluation);
    }

    /** Records this process has trained on (the restored ones not counted). */
    public long recordsTrainedHere() {
        return recordsTrained - recordsRestored;
    }

    /** One line for a console: version, progress, and the three accuracies. */
    public String line() {
        final Evaluation e = evaluation;
        return String.format(Locale.ROOT,
                "trainer %s %s v%d | %,d records | lag %s | prequential %s | holdout %s | recovered %s | agree %s",
                trainerId, state.name().toLowerCase(Locale.ROOT), version, recordsTrained,
                lag < 0 ? "?" : String.format(Locale.ROOT, "%,d", lag), accuracies(e.window()),
                accuracies(e.holdout()), e.recoveredWindow().brief(), number(e.agreement()));
    }

    /** The three accuracies and, in brackets, how many records they rest on. */
    private static String accuracies(final Accuracies a) {
        return "T " + number(a.teacher()) + " D " + number(a.distilled()) + " B " + number(a.baseline())
                + String.format(Locale.ROOT, " (%,d)", a.records());
    }

    private static String number(final double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
