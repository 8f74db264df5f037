package dev.kdstream.model.eval;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Classification accuracy and agreement from logits (argmax per row). */
public final class Accuracy {

    private Accuracy() {
    }

    /** Fraction of rows whose argmax equals the label. */
    public static double of(final INDArray logits, final int[] labels) {
        final long[] predicted = logits.argMax(1).toLongVector();
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) correct / labels.length;
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

    /**
     * Knowledge recovered: the share of the ensemble-baseline gap that distillation closes,
     * (student - baseline) / (ensemble - baseline). NaN when there is no gap.
     */
    public static double recovered(final double ensemble, final double distilled, final double baseline) {
        final double gap = ensemble - baseline;
        return gap == 0 ? Double.NaN : (distilled - baseline) / gap;
    }
}
