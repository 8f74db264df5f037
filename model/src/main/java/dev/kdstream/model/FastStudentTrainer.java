package dev.kdstream.model;

import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.FixedSchedule;

import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.definition.DistillationLoss;
import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.ReproducedLayers;
import dev.kdstream.model.definition.StudentModel;

/**
 * The optimiser step of a {@link Networks#student} network in plain Java arrays: DL4J's
 * {@code fit()} has a fixed cost per call whatever the batch (docs/platform.md, "DL4J fixed cost per call"), while a
 * 64-record step on the 3.5k-parameter 20-64-32-2 MLP is ~0.65 M multiply-adds (measured side by
 * side at micro-batch 64: ~5x fewer microseconds per step than {@code fit()}).
 *
 * <p>It reproduces DL4J 1.0.0-M2.1's step, in the order DL4J does it:
 * <ol>
 *   <li>forward: dense layers, ReLU on the hidden ones, identity on the output (logits);</li>
 *   <li>dL/dlogits per example from {@link Probabilities#distillationGradient}, as
 *       {@link DistillationLoss} computes it (rounded to float as DL4J stores it);</li>
 *   <li>backward through the dense layers and ReLU (derivative 1 where the activation is > 0);</li>
 *   <li>the summed gradient divided by the minibatch size ({@code BaseMultiLayerUpdater.divideByMinibatch});</li>
 *   <li>L2 added before the updater, on weights and biases: {@code g += l2 * param}
 *       ({@code L2Regularization.apply}, {@code ApplyStep.BEFORE_UPDATER});</li>
 *   <li>Adam as libnd4j's {@code adam_updater} kernel computes it in float:
 *       {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 *       update = m * lr sqrt(1 - b2^(t+1)) / (1 - b1^(t+1)) / (sqrt(v) + eps)}, with t the network's
 *       iteration count before the step (0 for the first one), then {@code param -= update}.</li>
 * </ol>
 * Parameters and Adam moments are kept as float values (in double arrays, for the arithmetic), so
 * that {@link #writeTo} hands DL4J exactly the state its own step would have produced, up to float
 * rounding in the sums. Activations are computed in double and rounded to float per layer.
 *
 * <p>Not thread-safe; one per network, like the network itself.
 */
public final class FastStudentTrainer {

    private final int layers;
    /** Layer widths, input first, classes last. */
    private final int[] widths;
    /**
     * Per layer, weights as rows [in][out], then biases: the same layout for params, m, v and grad.
     * Rows rather than one flat array, so that the inner loops index both arrays with the same
     * index: with flat arrays and row offsets, C2's SuperWord did not vectorise them (the same time
     * with -XX:-UseSuperWord); with rows the step is ~20 % faster.
     */
    private final double[][][] weights;
    private final double[][] biases;
    /** {@link #logits}' float copies of the parameters, taken again after each step, and its activations. */
    private final float[][][] scoringWeights;
    private final float[][] scoringBiases;
    private final float[][] scoringActivations;
    private boolean scoringStale = true;
    private final double[][][] mW;
    private final double[][][] vW;
    private final double[][] mB;
    private final double[][] vB;
    private final double[][][] gW;
    private final double[][] gB;
    /** Per layer above the first, the weights transposed [out][in], for the deltas of the layer below. */
    private final double[][][] transposed;
    /** Per layer and element, its index in DL4J's flat parameter vector. */
    private final int[][] flatW;
    private final int[][] flatB;
    /** Per element of the flat parameter vector, where its m and v live in the updater state view. */
    private final int[] stateM;
    private final int[] stateV;
    private final int numParams;
    private final int stateLength;
    private final float[] l2W;
    private final float[] l2B;
    private final double alpha;
    private final double temperature;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private int iteration;

    /** Activations per layer (index 0: the input), and the deltas, grown to the largest batch seen. */
    private final double[][][] activations;
    private final double[][][] deltas;
    private int capacity;

    private FastStudentTrainer(final MultiLayerNetwork network) {
        this.layers = network.getnLayers();
        this.widths = new int[layers + 1];
        this.weights = new double[layers][][];
        this.biases = new double[layers][];
        this.flatW = new int[layers][];
        this.flatB = new int[layers][];
        this.l2W = new float[layers];
        this.l2B = new float[layers];
        final INDArray flatParams = network.params();
        final long base = flatParams.offset();
        this.numParams = (int) flatParams.length();
        final float[] params = flatParams.toFloatVector();
        Adam adam = null;
        for (int l = 0; l < layers; l++) {
            final Layer conf = network.getLayerWiseConfigurations().getConf(l).getLayer();
            checkLayer(conf, l, l == layers - 1);
            final BaseLayer dense = (BaseLayer) conf;
            final INDArray w = network.getParam(l + "_W");
            final INDArray b = network.getParam(l + "_b");
            if (w == null || b == null || w.rank() != 2) {
                throw new IllegalArgumentException("layer " + l + " is not a dense layer with weights and biases");
            }
            final int in = (int) w.size(0);
            final int out = (int) w.size(1);
            if (l > 0 && in != widths[l]) {
                throw new IllegalArgumentException("layer " + l + " takes " + in + " inputs, layer " + (l - 1)
                        + " has " + widths[l] + " outputs");
            }
            widths[l] = in;
            widths[l + 1] = out;
            // where each element sits in the flat vector: DL4J's weight views are 'f'-ordered, so the
            // strides say it rather than an assumed layout
            flatW[l] = new int[in * out];
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    flatW[l][i * out + j] = (int) (w.offset() - base + i * w.stride(0) + j * w.stride(1));
                }
            }
            flatB[l] = new int[out];
            final long bStride = b.stride(b.rank() - 1);
            for (int j = 0; j < out; j++) {
                flatB[l][j] = (int) (b.offset() - base + j * bStride);
            }
            weights[l] = rows(gather(params, flatW[l]), in, out);
            biases[l] = gather(params, flatB[l]);
            l2W[l] = l2Of(dense.getRegularizationByParam("W"), l, "W");
            l2B[l] = l2Of(dense.getRegularizationByParam("b"), l, "b");
            adam = ReproducedLayers.sameAdam(adam, dense.getUpdaterByParam("W"), "layer " + l);
            adam = ReproducedLayers.sameAdam(adam, dense.getUpdaterByParam("b"), "layer " + l);
        }
        final BaseOutputLayer output = (BaseOutputLayer) network.getLayerWiseConfigurations()
                .getConf(layers - 1).getLayer();
        if (!(output.getLossFn() instanceof DistillationLoss loss)) {
            throw new IllegalArgumentException("the output layer's loss is " + output.getLossFn()
                    + "; expected the DistillationLoss of Networks.student");
        }
        this.alpha = loss.alpha();
        this.temperature = loss.temperature();
        this.learningRate = adam.getLearningRate();
        this.beta1 = adam.getBeta1();
        this.beta2 = adam.getBeta2();
        this.epsilon = adam.getEpsilon();
        this.iteration = network.getIterationCount();

        // the updater state view: per block of parameters sharing a configuration, [m | v] over the
        // block's slice of the flat parameter vector (UpdaterBlock, AdamUpdater.setStateViewArray)
        final Updater updater = network.getUpdater(true);
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            throw new IllegalArgumentException("unexpected updater " + updater);
        }
        this.stateM = new int[numParams];
        this.stateV = new int[numParams];
        Arrays.fill(stateM, -1);
        for (final UpdaterBlock block : multi.getUpdaterBlocks()) {
            final int start = block.getParamOffsetStart();
            final int length = block.getParamOffsetEnd() - start;
            final int viewStart = block.getUpdaterViewOffsetStart();
            if (block.getUpdaterViewOffsetEnd() - viewStart != 2 * length) {
                throw new IllegalArgumentException("updater block over params " + start + ".." + (start + length)
                        + " has " + (block.getUpdaterViewOffsetEnd() - viewStart) + " state values, not 2x (Adam)");
            }
            for (int p = 0; p < length; p++) {
                stateM[start + p] = viewStart + p;
                stateV[start + p] = viewStart + length + p;
            }
        }
        for (final int s : stateM) {
            if (s < 0) {
                throw new IllegalArgumentException("a parameter is in no updater block");
            }
        }
        final INDArray stateView = multi.getStateViewArray();
        this.stateLength = (int) stateView.length();
        final float[] state = stateView.toFloatVector();
        this.mW = new double[layers][][];
        this.vW = new double[layers][][];
        this.mB = new double[layers][];
        this.vB = new double[layers][];
        this.gW = new double[layers][][];
        this.gB = new double[layers][];
        this.transposed = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            final int in = widths[l];
            final int out = widths[l + 1];
            mW[l] = rows(gatherState(state, stateM, flatW[l]), in, out);
            vW[l] = rows(gatherState(state, stateV, flatW[l]), in, out);
            mB[l] = gatherState(state, stateM, flatB[l]);
            vB[l] = gatherState(state, stateV, flatB[l]);
            gW[l] = new double[in][out];
            gB[l] = new double[out];
            if (l > 0) {
                transposed[l] = new double[out][in];
            }
        }
        transpose();
        this.activations = new double[layers + 1][0][];
        this.scoringWeights = new float[layers][][];
        this.scoringBiases = new float[layers][];
        this.scoringActivations = new float[layers][];
        for (int l = 0; l < layers; l++) {
            scoringWeights[l] = new float[widths[l]][widths[l + 1]];
            scoringBiases[l] = new float[widths[l + 1]];
            scoringActivations[l] = new float[widths[l + 1]];
        }
        this.deltas = new double[layers + 1][0][];
    }

    /** Copies the parameters, the Adam state and the iteration count of a student's network. */
    public static FastStudentTrainer from(final StudentModel student) {
        return new FastStudentTrainer(student.network());
    }

    /**
     * One optimiser step on a micro-batch, as {@code student.fit(features, LabelMatrix.of(soft, labels, C))}.
     *
     * @param scaledFeatures standardised features, one row per record
     * @param softTargets    soft targets per record, or null (zeros: hard-label training)
     * @param labels         class per record, or {@link LabelMatrix#UNLABELLED}
     */
    public void fit(final float[][] scaledFeatures, final float[][] softTargets, final int[] labels) {
        final int n = scaledFeatures.length;
        if (n == 0 || labels.length != n || (softTargets != null && softTargets.length != n)) {
            throw new IllegalArgumentException("need one label (and soft-target row) per feature row, n >= 1");
        }
        ensureCapacity(n);
        final int inputs = widths[0];
        final double[][] x = activations[0];
        for (int r = 0; r < n; r++) {
            if (scaledFeatures[r].length != inputs) {
                throw new IllegalArgumentException("expected " + inputs + " features, got " + scaledFeatures[r].length);
            }
            for (int k = 0; k < inputs; k++) {
                x[r][k] = scaledFeatures[r][k];
            }
        }
        for (int l = 0; l < layers; l++) {
            forward(activations[l], n, weights[l], biases[l], activations[l + 1], l < layers - 1);
        }
        lossGradient(n, softTargets, labels);
        for (int l = layers - 1; l >= 0; l--) {
            backward(l, n);
        }
        adamStep(n);
        transpose();
        scoringStale = true;
        iteration++;
    }

    /**
     * The logits of the current parameters, as the network's {@code output()} gives them once
     * {@link #writeTo} has run, up to float rounding in the sums. The trainer scores with this
     * instead of DL4J's {@code output()}, which crashed once in native code (a SIGSEGV in a
     * broadcast op, docs/benchmarks.md). In float, as DL4J computes: the inner loops vectorise
     * twice as wide as {@link #fit}'s doubles.
     *
     * @param scaledFeatures standardised features, one row per record
     * @return one row of logits per record
     */
    public double[][] logits(final float[][] scaledFeatures) {
        if (scoringStale) {
            for (int l = 0; l < layers; l++) {
                for (int k = 0; k < weights[l].length; k++) {
                    toFloats(weights[l][k], scoringWeights[l][k]);
                }
                toFloats(biases[l], scoringBiases[l]);
            }
            scoringStale = false;
        }
        final double[][] logits = new double[scaledFeatures.length][];
        for (int r = 0; r < logits.length; r++) {
            if (scaledFeatures[r].length != widths[0]) {
                throw new IllegalArgumentException("expected " + widths[0] + " features, got "
                        + scaledFeatures[r].length);
            }
            float[] in = scaledFeatures[r];
            for (int l = 0; l < layers; l++) {
                final float[] out = scoringActivations[l];
                final float[][] w = scoringWeights[l];
                System.arraycopy(scoringBiases[l], 0, out, 0, out.length);
                for (int k = 0; k < w.length; k++) {
                    final float xk = in[k];
                    if (xk == 0.0f) {
                        continue;
                    }
                    final float[] wk = w[k];
                    for (int j = 0; j < out.length; j++) {
                        out[j] += xk * wk[j];
                    }
                }
                if (l < layers - 1) {
                    for (int j = 0; j < out.length; j++) {
                        out[j] = Math.max(out[j], 0.0f);
                    }
                }
                in = out;
            }
            final double[] row = new double[in.length];
            for (int j = 0; j < row.length; j++) {
                row[j] = in[j];
            }
            logits[r] = row;
        }
        return logits;
    }

    private static void toFloats(final double[] from, final float[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = (float) from[i];
        }
    }

    /** Puts the parameters, the Adam state and the iteration count back into the student's network. */
    public void writeTo(final StudentModel student) {
        final MultiLayerNetwork network = student.network();
        final float[] params = new float[numParams];
        final float[] state = new float[stateLength];
        for (int l = 0; l < layers; l++) {
            scatter(flat(weights[l]), flatW[l], params);
            scatter(biases[l], flatB[l], params);
            scatterState(flat(mW[l]), flatW[l], stateM, state);
            scatterState(flat(vW[l]), flatW[l], stateV, state);
            scatterState(mB[l], flatB[l], stateM, state);
            scatterState(vB[l], flatB[l], stateV, state);
        }
        final INDArray flatParams = network.params();
        if (flatParams.length() != numParams) {
            throw new IllegalArgumentException("the network has " + flatParams.length() + " parameters, this trainer "
                    + numParams);
        }
        // assign into the existing views: the layers' parameter and updater views stay attached
        flatParams.assign(Nd4j.createFromArray(params).reshape(flatParams.shape()));
        final INDArray stateView = network.getUpdater(true).getStateViewArray();
        stateView.assign(Nd4j.createFromArray(state).reshape(stateView.shape()));
        network.setIterationCount(iteration);
    }

    /** Optimiser steps taken, including the network's before {@link #from}. */
    public int iterationCount() {
        return iteration;
    }

    public int numParams() {
        return numParams;
    }

    private void ensureCapacity(final int n) {
        if (n <= capacity) {
            return;
        }
        for (int l = 0; l <= layers; l++) {
            activations[l] = new double[n][widths[l]];
            deltas[l] = new double[n][widths[l]];
        }
        capacity = n;
    }

    /** y = relu?(x W + b) per row, rounded to float as DL4J's float activations are. */
    private static void forward(final double[][] x, final int n, final double[][] w, final double[] b,
                                final double[][] y, final boolean relu) {
        final int out = b.length;
        for (int r = 0; r < n; r++) {
            final double[] xr = x[r];
            final double[] yr = y[r];
            System.arraycopy(b, 0, yr, 0, out);
            for (int k = 0; k < w.length; k++) {
                final double xk = xr[k];
                if (xk == 0.0) {
                    continue; // after a ReLU many inputs are exactly zero
                }
                final double[] wk = w[k];
                for (int j = 0; j < out; j++) {
                    yr[j] += xk * wk[j];
                }
            }
            for (int j = 0; j < out; j++) {
                final double v = (float) yr[j];
                yr[j] = relu && v < 0.0 ? 0.0 : v;
            }
        }
    }

    /** dL/dlogits per example into the last delta, exactly as DistillationLoss computes it. */
    private void lossGradient(final int n, final float[][] softTargets, final int[] labels) {
        final int classes = widths[layers];
        final double[] q = new double[classes];
        final double[] y = new double[classes];
        for (int r = 0; r < n; r++) {
            if (softTargets != null) {
                if (softTargets[r].length != classes) {
                    throw new IllegalArgumentException("expected " + classes + " soft targets, got "
                            + softTargets[r].length);
                }
                for (int c = 0; c < classes; c++) {
                    q[c] = softTargets[r][c];
                }
            }
            Arrays.fill(y, 0.0);
            if (labels[r] != LabelMatrix.UNLABELLED) {
                if (labels[r] < 0 || labels[r] >= classes) {
                    throw new IllegalArgumentException("label " + labels[r] + " is not a class in 0.." + (classes - 1));
                }
                y[labels[r]] = 1.0;
            }
            final double[] g = deltas[layers][r];
            Probabilities.distillationGradient(activations[layers][r], q, y, temperature, alpha, g);
            for (int c = 0; c < classes; c++) {
                g[c] = (float) g[c]; // DistillationLoss hands DL4J a float gradient
            }
        }
    }

    /** Sums layer l's gradients over the batch and, below the output, the delta of the layer beneath. */
    private void backward(final int l, final int n) {
        final int in = widths[l];
        final int out = widths[l + 1];
        final double[][] a = activations[l];
        final double[][] delta = deltas[l + 1];
        final double[][] dW = gW[l];
        final double[] dB = gB[l];
        for (final double[] row : dW) {
            Arrays.fill(row, 0.0);
        }
        Arrays.fill(dB, 0.0);
        for (int r = 0; r < n; r++) {
            final double[] dr = delta[r];
            for (int j = 0; j < out; j++) {
                dB[j] += dr[j];
            }
            final double[] ar = a[r];
            for (int k = 0; k < in; k++) {
                final double ak = ar[k];
                if (ak == 0.0) {
                    continue;
                }
                final double[] gk = dW[k];
                for (int j = 0; j < out; j++) {
                    gk[j] += ak * dr[j];
                }
            }
        }
        if (l == 0) {
            return;
        }
        // delta W^T as a sum of rows of W^T: the same order of additions as the dot products
        final double[][] wt = transposed[l];
        final double[][] below = deltas[l];
        for (int r = 0; r < n; r++) {
            final double[] dr = delta[r];
            final double[] br = below[r];
            Arrays.fill(br, 0.0);
            for (int j = 0; j < out; j++) {
                final double dj = dr[j];
                if (dj == 0.0) {
                    continue;
                }
                final double[] wj = wt[j];
                for (int k = 0; k < in; k++) {
                    br[k] += dj * wj[k];
                }
            }
            final double[] ar = a[r];
            for (int k = 0; k < in; k++) {
                // ReLU: no gradient where the unit was off
                br[k] = ar[k] > 0.0 ? (float) br[k] : 0.0;
            }
        }
    }

    private void transpose() {
        for (int l = 1; l < layers; l++) {
            final double[][] w = weights[l];
            final double[][] wt = transposed[l];
            for (int k = 0; k < w.length; k++) {
                for (int j = 0; j < wt.length; j++) {
                    wt[j][k] = w[k][j];
                }
            }
        }
    }

    /** Minibatch mean, L2, Adam: in float, in the order of DL4J's updater and libnd4j's kernel. */
    private void adamStep(final int n) {
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float eps = (float) epsilon;
        final float stepSize = dev.kdstream.model.kernel.Adam.stepSize((float) learningRate, b1, b2, eps, iteration);
        final float batch = n;
        for (int l = 0; l < layers; l++) {
            for (int k = 0; k < weights[l].length; k++) {
                adam(weights[l][k], gW[l][k], mW[l][k], vW[l][k], batch, l2W[l], b1, b2, eps, stepSize);
            }
            adam(biases[l], gB[l], mB[l], vB[l], batch, l2B[l], b1, b2, eps, stepSize);
        }
    }

    private static void adam(final double[] param, final double[] grad, final double[] m, final double[] v,
                             final float batch, final float l2, final float b1, final float b2, final float eps,
                             final float stepSize) {
        final float oneMinusB1 = 1.0f - b1;
        final float oneMinusB2 = 1.0f - b2;
        for (int i = 0; i < param.length; i++) {
            final float p = (float) param[i];
            float g = (float) grad[i] / batch;
            g = l2 * p + g;
            final float mi = b1 * (float) m[i] + g * oneMinusB1;
            final float vi = b2 * (float) v[i] + g * g * oneMinusB2;
            final float update = mi * stepSize / ((float) Math.sqrt(vi) + eps);
            m[i] = mi;
            v[i] = vi;
            param[i] = p - update;
        }
    }

    private static double[][] rows(final double[] flat, final int in, final int out) {
        final double[][] rows = new double[in][out];
        for (int k = 0; k < in; k++) {
            System.arraycopy(flat, k * out, rows[k], 0, out);
        }
        return rows;
    }

    private static double[] flat(final double[][] rows) {
        final int out = rows[0].length;
        final double[] flat = new double[rows.length * out];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(rows[k], 0, flat, k * out, out);
        }
        return flat;
    }

    private static double[] gather(final float[] flat, final int[] index) {
        final double[] out = new double[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = flat[index[i]];
        }
        return out;
    }

    private static double[] gatherState(final float[] state, final int[] stateIndex, final int[] paramIndex) {
        final double[] out = new double[paramIndex.length];
        for (int i = 0; i < paramIndex.length; i++) {
            out[i] = state[stateIndex[paramIndex[i]]];
        }
        return out;
    }

    private static void scatter(final double[] values, final int[] index, final float[] flat) {
        for (int i = 0; i < index.length; i++) {
            flat[index[i]] = (float) values[i];
        }
    }

    private static void scatterState(final double[] values, final int[] paramIndex, final int[] stateIndex,
                                     final float[] state) {
        for (int i = 0; i < paramIndex.length; i++) {
            state[stateIndex[paramIndex[i]]] = (float) values[i];
        }
    }

    private static void checkLayer(final Layer conf, final int layer, final boolean output) {
        final BaseLayer base = ReproducedLayers.requireDense(conf, "layer " + layer, output, "Networks.student");
        if (base.getIDropout() != null) {
            throw new IllegalArgumentException("layer " + layer + " uses dropout, which this trainer does not reproduce");
        }
    }

    /** The fixed L2 coefficient of a parameter (0 for none); anything else is not reproduced. */
    private static float l2Of(final List<Regularization> regularization, final int layer, final String param) {
        if (regularization == null || regularization.isEmpty()) {
            return 0.0f;
        }
        if (regularization.size() == 1 && regularization.get(0) instanceof L2Regularization l2
                && l2.getL2() instanceof FixedSchedule) {
            return (float) l2.getL2().valueAt(0, 0);
        }
        throw new IllegalArgumentException("layer " + layer + " param " + param + " has regularisation "
                + regularization + "; only a fixed L2 is reproduced");
    }
}
