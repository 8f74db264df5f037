package dev.kdstream.teacher.budget;

/** How unsure a model is of one record, from its class probabilities. */
public final class Uncertainty {

    private Uncertainty() {
    }

    /**
     * 1 - (p_first - p_second), in [0, 1]: 0 when the model puts everything on one class, 1 when its
     * two likeliest classes tie. The margin rather than the entropy: it looks only at the decision
     * the teacher could change, and reads the same for 2 classes or 10.
     */
    public static double margin(final double[] probabilities) {
        if (probabilities.length < 2) {
            throw new IllegalArgumentException("need at least 2 class probabilities, got " + probabilities.length);
        }
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (final double p : probabilities) {
            if (p > first) {
                second = first;
                first = p;
            } else if (p > second) {
                second = p;
            }
        }
        return Math.min(1.0, Math.max(0.0, 1.0 - (first - second)));
    }
}
