package dev.kdstream.model.definition;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import dev.kdstream.model.definition.Hyperparameters.Distillation;
import dev.kdstream.model.kernel.Probabilities;

/**
 * The distillation loss as a DL4J loss function, on an output layer with the IDENTITY activation
 * so that networks output raw logits z (the ensemble averages logits, not probabilities).
 *
 * <p>Labels have 2C columns: {@code [soft targets q (C) | one-hot y (C)]}; an all-zero y is an
 * unlabelled record, which contributes the soft term only; an all-zero q a record the teacher did
 * not annotate, which contributes cross-entropy alone. The maths is
 * {@link Probabilities#distillationLossAndGradient}; with alpha = 0 it is plain softmax
 * cross-entropy, which is how the teachers and the hard-label baseline use it.
 *
 * <p>Why the rows are computed in plain Java: a minibatch here is 64 x 2 numbers, and the two
 * dozen small ND4J ops the same maths takes would each pay ND4J's fixed cost per call
 * (docs/platform.md, "DL4J fixed cost per call"). Two copies and a loop cost microseconds.
 * The gradient is per example: DL4J's updater divides by the minibatch size ("batchmean").
 */
public final class DistillationLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("alpha")
    private double alpha;
    @JsonProperty("temperature")
    private double temperature;

    /** For DL4J's JSON (de)serialisation of network configurations. */
    public DistillationLoss() {
        this(0.0, 1.0);
    }

    public DistillationLoss(final double alpha, final double temperature) {
        this.alpha = alpha;
        this.temperature = temperature;
    }

    public static DistillationLoss of(final Distillation d) {
        return new DistillationLoss(d.alpha(), d.temperature());
    }

    /** Plain cross-entropy on hard labels (soft-target columns ignored). */
    public static DistillationLoss hardLabelsOnly() {
        return new DistillationLoss(0.0, 1.0);
    }

    public double alpha() {
        return alpha;
    }

    public double temperature() {
        return temperature;
    }

    @Override
    public INDArray computeScoreArray(final INDArray labels, final INDArray preOutput,
                                      final IActivation activationFn, final INDArray mask) {
        return Nd4j.create(evaluate(labels, preOutput, activationFn, mask, false).scores,
                new long[] {preOutput.size(0), 1}, 'c').castTo(preOutput.dataType());
    }

    @Override
    public double computeScore(final INDArray labels, final INDArray preOutput, final IActivation activationFn,
                               final INDArray mask, final boolean average) {
        final Rows rows = evaluate(labels, preOutput, activationFn, mask, false);
        return average ? rows.total() / preOutput.size(0) : rows.total();
    }

    @Override
    public INDArray computeGradient(final INDArray labels, final INDArray preOutput,
                                    final IActivation activationFn, final INDArray mask) {
        return gradientArray(evaluate(labels, preOutput, activationFn, mask, true), preOutput);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(final INDArray labels, final INDArray preOutput,
                                                          final IActivation activationFn, final INDArray mask,
                                                          final boolean average) {
        final Rows rows = evaluate(labels, preOutput, activationFn, mask, true);
        final double score = average ? rows.total() / preOutput.size(0) : rows.total();
        return new Pair<>(score, gradientArray(rows, preOutput));
    }

    @Override
    public String name() {
        return "DistillationLoss(alpha=" + alpha + ", T=" + temperature + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof DistillationLoss d && d.alpha == alpha && d.temperature == temperature;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(alpha) * 31 + Double.hashCode(temperature);
    }

    /** Per-example scores and (optionally) the gradient rows, masked. */
    private record Rows(double[] scores, double[] gradient) {
        double total() {
            double sum = 0;
            for (final double s : scores) {
                sum += s;
            }
            return sum;
        }
    }

    private Rows evaluate(final INDArray labels, final INDArray preOutput, final IActivation activationFn,
                          final INDArray mask, final boolean withGradient) {
        if (!(activationFn instanceof ActivationIdentity)) {
            throw new IllegalStateException("DistillationLoss works on logits: use Activation.IDENTITY, not "
                    + activationFn);
        }
        final int classes = (int) preOutput.size(1);
        if (labels.size(1) != 2L * classes) {
            throw new IllegalArgumentException("labels need 2C = " + 2 * classes
                    + " columns [soft targets | one-hot], got " + labels.size(1));
        }
        final int n = (int) preOutput.size(0);
        final double[] z = flat(preOutput);
        final double[] l = flat(labels);
        final double[] m = mask == null ? null : flat(mask);
        final double[] scores = new double[n];
        final double[] gradient = withGradient ? new double[n * classes] : null;
        final double[] row = new double[classes];
        final double[] q = new double[classes];
        final double[] y = new double[classes];
        final double[] g = new double[classes];
        for (int i = 0; i < n; i++) {
            System.arraycopy(z, i * classes, row, 0, classes);
            System.arraycopy(l, 2 * i * classes, q, 0, classes);
            System.arraycopy(l, (2 * i + 1) * classes, y, 0, classes);
            final double weight = m == null ? 1.0 : m[i];
            // soft targets sum to 1: an all-zero row is a record without them, as the kernel's null row
            scores[i] = weight * Probabilities.distillationLossAndGradient(row, sum(q) > 0 ? q : null, y, temperature,
                    alpha, g);
            if (withGradient) {
                for (int c = 0; c < classes; c++) {
                    gradient[i * classes + c] = weight * g[c];
                }
            }
        }
        return new Rows(scores, gradient);
    }

    private static double sum(final double[] v) {
        double s = 0;
        for (final double x : v) {
            s += x;
        }
        return s;
    }

    private static INDArray gradientArray(final Rows rows, final INDArray preOutput) {
        return Nd4j.create(rows.gradient, preOutput.shape(), 'c').castTo(preOutput.dataType());
    }

    /** The values in row-major order, in one bulk copy (element-wise reads cost a JNI call each). */
    private static double[] flat(final INDArray a) {
        return a.dup('c').data().asDouble();
    }
}
