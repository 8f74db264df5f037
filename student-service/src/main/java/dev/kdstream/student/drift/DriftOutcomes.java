package dev.kdstream.student.drift;

import java.util.ArrayList;
import java.util.List;

/**
 * Who was right on each labelled training record of a stream (the ensemble, the distilled student,
 * the baseline), by the record's position in the stream: what a drift cost each model and how long
 * each took to recover from it. Filled as records are scored, read at the end. Thread-safe.
 */
public final class DriftOutcomes {

    /** Labelled records the accuracy before the change is over. */
    public static final int BEFORE = 20_000;
    /** Labelled records the rolling accuracy after the change is over. */
    public static final int WINDOW = 1_000;
    /** Within this of its accuracy before the change, a model has recovered. */
    public static final double RECOVERED = 0.01;

    public static final int ENSEMBLE = 0;
    public static final int DISTILLED = 1;
    public static final int BASELINE = 2;

    /**
     * One model around the change.
     *
     * @param before   accuracy over the {@link #BEFORE} labelled records before the change
     * @param lowest   the lowest rolling accuracy ({@link #WINDOW} labelled records) after it
     * @param recovery stream records from the change until the rolling accuracy, having fallen more
     *                 than {@link #RECOVERED} below {@code before}, is back within it; 0 if it never
     *                 fell, -1 if it never came back
     */
    public record Model(double before, double lowest, long recovery) {
    }

    private final List<Long> positions = new ArrayList<>();
    private final List<boolean[]> outcomes = new ArrayList<>();

    /** A labelled training record at {@code position} of the stream: whether each model was right. */
    public synchronized void add(final long position, final boolean ensemble, final boolean distilled,
                                 final boolean baseline) {
        positions.add(position);
        outcomes.add(new boolean[] {ensemble, distilled, baseline});
    }

    /** {@code model} ({@link #ENSEMBLE}, {@link #DISTILLED} or {@link #BASELINE}) around a change at {@code at}. */
    public synchronized Model model(final int model, final long at) {
        final int change = firstAtOrAfter(at);
        final double before = shares(Math.max(0, change - BEFORE), change)[model];
        double lowest = Double.NaN;
        long recovery = -1;
        int right = 0;
        for (int i = change; i < outcomes.size(); i++) {
            right += outcomes.get(i)[model] ? 1 : 0;
            if (i - change + 1 > WINDOW) {
                right -= outcomes.get(i - WINDOW)[model] ? 1 : 0;
            }
            if (i - change + 1 >= WINDOW) {
                final double rolling = (double) right / WINDOW;
                lowest = Double.isNaN(lowest) ? rolling : Math.min(lowest, rolling);
                if (recovery < 0 && rolling >= before - RECOVERED && lowest < before - RECOVERED) {
                    recovery = positions.get(i) - at;
                }
            }
        }
        final boolean fell = !Double.isNaN(lowest) && lowest < before - RECOVERED;
        return new Model(before, lowest, fell ? recovery : 0);
    }

    /** Each model's accuracy over the labelled records [from, to) (indices, not positions); NaN when empty. */
    public synchronized double[] shares(final int from, final int to) {
        final double[] s = new double[3];
        for (int i = from; i < to; i++) {
            for (int k = 0; k < 3; k++) {
                s[k] += outcomes.get(i)[k] ? 1 : 0;
            }
        }
        for (int k = 0; k < 3; k++) {
            s[k] = to > from ? s[k] / (to - from) : Double.NaN;
        }
        return s;
    }

    /** The index of the first labelled record at or after stream position {@code position}. */
    public synchronized int firstAtOrAfter(final long position) {
        for (int i = 0; i < positions.size(); i++) {
            if (positions.get(i) >= position) {
                return i;
            }
        }
        return positions.size();
    }

    /** Labelled records held. */
    public synchronized int size() {
        return outcomes.size();
    }
}
