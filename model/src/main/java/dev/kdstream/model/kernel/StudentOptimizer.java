package dev.kdstream.model.kernel;

import java.util.Arrays;

/**
 * The student's optimiser step on an {@link Mlp}, in the order and in the float arithmetic of
 * DL4J 1.0.0-M2.1's {@code fit()} on a {@code Networks.student} network:
 * <ol>
 *   <li>forward: dense layers, ReLU on the hidden ones, logits out;</li>
 *   <li>dL/dlogits per record from {@link Probabilities#distillationGradient}, as
 *       {@code DistillationLoss} computes it, rounded to float as DL4J stores it;</li>
 *   <li>backward through the dense layers and ReLU, gradients summed over the batch;</li>
 *   <li>the sum divided by the batch size ({@code BaseMultiLayerUpdater.divideByMinibatch});</li>
 *   <li>L2 added before the updater, on weights and biases: {@code g += l2 * param}
 *       ({@code L2Regularization}, {@code ApplyStep.BEFORE_UPDATER});</li>
 *   <li>{@link Adam}, with the iteration count before the step (0 for the first one).</li>
 * </ol>
 * So a model trained here and saved as a DL4J network goes on training in DL4J as if DL4J had
 * taken every step, up to float rounding in the sums (the DL4J-oracle test bounds it).
 *
 * <p>Not thread-safe; one per student.
 */
public final class StudentOptimizer {

    /** The label of a record without one: it trains the soft term only. */
    public static final int UNLABELLED = -1;

    private final Mlp mlp;
    private final Adam adam;
    private StepConfig config;
    private final BatchBuffers buffers;
    private int iteration;
    /** One record's logits, targets and dL/dlogits in double, as {@link Probabilities} takes them. */
    private final double[] z;
    private final double[] q;
    private final double[] y;
    private final double[] g;
    private final float[][] hidden;

    /**
     * @param mlp       the parameters, changed in place by every step
     * @param adam      over {@link Mlp#parameterCount} values, in {@link Mlp#parameters} order
     * @param iteration steps taken before this one (Adam's bias correction counts from it)
     */
    public StudentOptimizer(final Mlp mlp, final Adam adam, final StepConfig config, final int iteration) {
        if (adam.firstMoments().length != mlp.parameterCount()) {
            throw new IllegalArgumentException("Adam over " + adam.firstMoments().length + " values for "
                    + mlp.parameterCount() + " parameters");
        }
        if (config.l2Weights().length != mlp.layers()) {
            throw new IllegalArgumentException("L2 for " + config.l2Weights().length + " layers, the MLP has "
                    + mlp.layers());
        }
        this.mlp = mlp;
        this.adam = adam;
        this.config = config;
        this.iteration = iteration;
        this.buffers = new BatchBuffers(mlp.widths());
        final int classes = mlp.classes();
        this.z = new double[classes];
        this.q = new double[classes];
        this.y = new double[classes];
        this.g = new double[classes];
        this.hidden = new float[2][mlp.maxHidden()];
    }

    /**
     * One optimiser step on a micro-batch.
     *
     * @param scaledFeatures standardised features, one row per record
     * @param softTargets    soft targets per record, or null for none; a null row is a record
     *                       without soft targets (the hard term only, see
     *                       {@link Probabilities#distillationGradient})
     * @param labels         class per record, or {@link #UNLABELLED}
     */
    public void fit(final float[][] scaledFeatures, final float[][] softTargets, final int[] labels) {
        final int n = scaledFeatures.length;
        if (n == 0 || labels.length != n || (softTargets != null && softTargets.length != n)) {
            throw new IllegalArgumentException("need one label (and soft-target row) per feature row, n >= 1");
        }
        for (final float[] row : scaledFeatures) {
            checkWidth(row);
        }
        buffers.ensureCapacity(n);
        buffers.activations[0] = scaledFeatures;
        mlp.forward(buffers.activations, n);
        for (int r = 0; r < n; r++) {
            lossGradient(r, softTargets == null ? null : softTargets[r], labels[r]);
        }
        mlp.backward(buffers.activations, buffers.deltas, n, buffers.gradW, buffers.gradB);
        buffers.activations[0] = null;
        update(n);
        iteration++;
    }

    /**
     * The logits of the current parameters, by the forward pass the server runs.
     *
     * @param scaledFeatures standardised features, one row per record
     */
    public double[][] logits(final float[][] scaledFeatures) {
        final float[] out = new float[mlp.classes()];
        final double[][] logits = new double[scaledFeatures.length][mlp.classes()];
        for (int r = 0; r < logits.length; r++) {
            checkWidth(scaledFeatures[r]);
            mlp.forward(scaledFeatures[r], hidden, out);
            for (int c = 0; c < out.length; c++) {
                logits[r][c] = out[c];
            }
        }
        return logits;
    }

    /**
     * The loss weighting, L2 and step size from the next step on: a live change of the
     * hyper-parameters, between two steps. The parameters and Adam's moments and iteration count
     * go on as they are.
     */
    public void retune(final StepConfig next, final float learningRate) {
        if (next.l2Weights().length != mlp.layers()) {
            throw new IllegalArgumentException("L2 for " + next.l2Weights().length + " layers, the MLP has "
                    + mlp.layers());
        }
        adam.learningRate(learningRate);
        this.config = next;
    }

    public StepConfig config() {
        return config;
    }

    /** The parameters, live: the DL4J bridge copies them out. */
    public Mlp mlp() {
        return mlp;
    }

    /** The Adam state, live, like {@link #mlp}. */
    public Adam adam() {
        return adam;
    }

    /**
     * Takes {@code other}'s parameters, Adam moments and iteration count: from its next step on, this
     * one learns as {@code other} would. Its own {@link #config} and learning rate stay.
     *
     * @throws IllegalArgumentException for an MLP of other widths
     */
    public void copyFrom(final StudentOptimizer other) {
        if (!Arrays.equals(mlp.widths(), other.mlp.widths())) {
            throw new IllegalArgumentException("widths " + Arrays.toString(other.mlp.widths()) + " into "
                    + Arrays.toString(mlp.widths()));
        }
        for (int l = 0; l < mlp.layers(); l++) {
            final float[][] w = other.mlp.weights(l);
            for (int i = 0; i < w.length; i++) {
                System.arraycopy(w[i], 0, mlp.weights(l)[i], 0, w[i].length);
            }
            System.arraycopy(other.mlp.biases(l), 0, mlp.biases(l), 0, mlp.biases(l).length);
        }
        System.arraycopy(other.adam.firstMoments(), 0, adam.firstMoments(), 0, adam.firstMoments().length);
        System.arraycopy(other.adam.secondMoments(), 0, adam.secondMoments(), 0, adam.secondMoments().length);
        iteration = other.iteration;
    }

    /** Optimiser steps taken, including those before this optimiser was made. */
    public int iterationCount() {
        return iteration;
    }

    private void checkWidth(final float[] row) {
        if (row.length != mlp.inputs()) {
            throw new IllegalArgumentException("expected " + mlp.inputs() + " features, got " + row.length);
        }
    }

    /** dL/dlogits of record r into the last delta row. */
    private void lossGradient(final int r, final float[] soft, final int label) {
        final int classes = z.length;
        final float[] logits = buffers.activations[mlp.layers()][r];
        if (soft != null && soft.length != classes) {
            throw new IllegalArgumentException("expected " + classes + " soft targets, got " + soft.length);
        }
        for (int c = 0; c < classes; c++) {
            z[c] = logits[c];
            q[c] = soft == null ? 0.0 : soft[c];
        }
        Arrays.fill(y, 0.0);
        if (label != UNLABELLED) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " is not a class in 0.." + (classes - 1));
            }
            y[label] = 1.0;
        }
        Probabilities.distillationGradient(z, soft == null ? null : q, y, config.temperature(), config.alpha(), g);
        final float[] delta = buffers.deltas[mlp.layers()][r];
        for (int c = 0; c < classes; c++) {
            delta[c] = (float) g[c];
        }
    }

    /** Minibatch mean, L2, Adam, row by row over one Adam in {@link Mlp#parameters} order. */
    private void update(final int n) {
        final float stepSize = adam.stepSize(iteration);
        final float batch = n;
        int offset = 0;
        for (int l = 0; l < mlp.layers(); l++) {
            final float[][] w = mlp.weights(l);
            for (int k = 0; k < w.length; k++) {
                offset = update(w[k], buffers.gradW[l][k], config.l2Weights()[l], batch, offset, stepSize);
            }
            offset = update(mlp.biases(l), buffers.gradB[l], config.l2Biases()[l], batch, offset, stepSize);
        }
    }

    private int update(final float[] params, final float[] gradSum, final float l2, final float batch,
                       final int offset, final float stepSize) {
        for (int i = 0; i < params.length; i++) {
            gradSum[i] = l2 * params[i] + gradSum[i] / batch;
        }
        adam.step(params, gradSum, offset, stepSize);
        return offset + params.length;
    }
}
