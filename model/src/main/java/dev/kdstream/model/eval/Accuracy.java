package dev.kdstream.model.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Classification accuracy and agreement from logits (argmax per row). */
public final class Accuracy {

    private Accuracy() {
    }

    /** Fraction of rows whose argmax equals the label. */
    public static double of(final INDArray logits, final int[] labels) {
        final boolean[] correct = correct(logits, labels);
        int hits = 0;
        for (final boolean c : correct) {
            hits += c ? 1 : 0;
        }
        return labels.length == 0 ? Double.NaN : (double) hits / labels.length;
    }

    /** Per row, whether its argmax equals the label. */
    public static boolean[] correct(final INDArray logits, final int[] labels) {
        final long[] predicted = logits.argMax(1).toLongVector();
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        final boolean[] correct = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            correct[i] = predicted[i] == labels[i];
        }
        return correct;
    }

    /** Fraction of rows where two models pick the same class. */
    public static double agreement(final INDArray logitsA, final INDArray logitsB) {
        final long[] a = logitsA.argMax(1).toLongVector();
        final long[] b = logitsB.argMax(1).toLongVector();
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return a.length == 0 ? Double.NaN : (double) same / a.length;
    }

}
