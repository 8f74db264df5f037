package dev.kdstream.teacher.training;

import static dev.kdstream.teacher.training.ColumnMajor.floats;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.model.bridge.NetworkBridge;
import dev.kdstream.model.definition.DistillationLoss;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.kernel.Adam;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.teacher.gemm.Sgemm;

/**
 * The training step of one fused teacher group ({@link Networks#teacherGroup}: B teachers of one
 * shape, teacher t reading graph input t) on OpenBLAS GEMMs ({@link dev.kdstream.teacher.gemm.Sgemm}), in place of
 * {@code graph.fit(MultiDataSet)}, whose per-fit overhead and dense layers run well below what the
 * BLAS kernels give (docs/platform.md, "DL4J dense layer ceiling"; {@code ./kd bench teacher-training}
 * compares the two).
 *
 * <p>The maths is DL4J 1.0.0-M2.1's step, in its order:
 * <ol>
 *   <li>forward: dense layers, ReLU on the hidden ones, identity on the output (logits); dropout on
 *       the INPUT of the layers DL4J has it on, as DL4J does it (units kept with the retain
 *       probability q, kept ones scaled by 1/q);</li>
 *   <li>dL/dlogits per example as {@link DistillationLoss} computes it (the teachers'
 *       {@link DistillationLoss#hardLabelsOnly()}: softmax(z) - onehot), rounded to float;</li>
 *   <li>backward through the dense layers, the dropout masks and ReLU;</li>
 *   <li>the gradients summed over the minibatch and divided by its size: here the division is
 *       folded into dL/dlogits, which the backward pass is linear in (exact for a power-of-two
 *       batch, float rounding otherwise);</li>
 *   <li>Adam as the ND4J op DL4J runs computes it, bit for bit ({@link Adam}), then
 *       {@code params -= update}.</li>
 * </ol>
 * Without dropout, it leaves the parameters {@code fit} leaves, to float rounding (~1e-5 relative
 * after 20 steps; a test checks it). Dropout masks are bit-reproducible for a seed ({@link DropoutMask}).
 *
 * <p>How (B teachers; per step, per dense layer 3B+2 GEMMs, per hidden layer 3-4 elementwise ops):
 * <ul>
 *   <li>The activations of all teachers sit side by side in one column-major buffer per layer
 *       ({@link GroupActivations}): a teacher's column block is one contiguous matrix, so its GEMMs
 *       read and write it in place; elementwise work is one op per layer for the whole group.</li>
 *   <li>Forward: the bias of all teachers is one rank-1 GEMM (ones x biases) into the layer's
 *       buffer, then each teacher's A W is added by its own GEMM (the first layer's A being the
 *       teacher's own minibatch). ReLU and dropout are one product with a "gate", 0 where the unit
 *       is off or dropped and 1 (or 1/q) elsewhere, which is also their derivative: backward
 *       multiplies the delta by it (ND4J's relu_bp op is far slower than a multiply).</li>
 *   <li>Backward per teacher: W's gradient A^T dZ and the delta below dZ W^T, GEMMs with transpose
 *       flags, written in place; the biases' gradient of all teachers is one GEMM (ones^T dZ).</li>
 *   <li>Parameters and gradients are flat buffers with views ({@link GroupParameters}).</li>
 * </ul>
 * Its forward pass is not {@code EnsembleForward}'s, though both are dense layers on GEMMs: training
 * gives each teacher its own input minibatch, applies dropout and keeps every layer's activations
 * and gates for the backward pass, where inference feeds one batch to all teachers and folds the
 * output layers into one mean.
 *
 * <p>The trainer copies the group's parameters when built and trains its copy: {@link #writeTo}
 * puts them back. The group's updater state is left as it was (the ensemble file does not store
 * it; teachers are not trained further). Not thread-safe: one per group and thread, like the graph.
 */
public final class TeacherGroupTrainer {

    private final TeacherGroupLayout layout;
    private final int teachers;
    /** Layer widths of one teacher: inputs, hidden..., classes. */
    private final int[] widths;
    /** Dense layers per teacher, the output layer included. */
    private final int layers;
    private final SplittableRandom rng;
    private final Adam adam;
    private final GroupParameters params;
    private final GroupActivations activations;
    private int iteration;

    private final double[] z;
    private final double[] q;
    private final double[] y;
    private final double[] g;
    private float[] labelValues = new float[0];

    private TeacherGroupTrainer(final TeacherGroupLayout layout, final ComputationGraph graph, final int maxBatch,
                                final long dropoutSeed) {
        this.layout = layout;
        this.teachers = layout.teachers();
        this.widths = layout.widths();
        this.layers = layout.layers();
        this.rng = new SplittableRandom(dropoutSeed);
        this.params = new GroupParameters(layout, graph);
        this.adam = NetworkBridge.adamOf(layout.adam(), params.count());
        this.iteration = graph.getIterationCount();
        this.activations = new GroupActivations(layout, maxBatch);
        final int classes = widths[layers];
        this.z = new double[classes];
        this.q = new double[classes];
        this.y = new double[classes];
        this.g = new double[classes];
    }

    /**
     * A trainer starting from the group's current parameters and iteration count.
     *
     * @param maxBatch    the largest minibatch {@link #fit} will get (the training batch size)
     * @param dropoutSeed seeds the dropout masks
     */
    public static TeacherGroupTrainer of(final ComputationGraph group, final int maxBatch, final long dropoutSeed) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        return new TeacherGroupTrainer(TeacherGroupLayout.of(group), group, maxBatch, dropoutSeed);
    }

    /**
     * One optimiser step, as {@code group.fit(new MultiDataSet(features, labels))}.
     *
     * @param features per teacher, its minibatch of standardised features [n x inputs]
     * @param labels   per teacher, {@code [soft targets | one-hot]} rows [n x 2C] ({@code LabelMatrix})
     */
    public void fit(final INDArray[] features, final INDArray[] labels) {
        if (features.length != teachers || labels.length != teachers) {
            throw new IllegalArgumentException("need one features and one labels array per teacher (" + teachers
                    + "), got " + features.length + " and " + labels.length);
        }
        final int n = (int) features[0].size(0);
        if (n < 1 || n > activations.maxBatch()) {
            throw new IllegalArgumentException("minibatch of " + n + " rows; expected 1.." + activations.maxBatch());
        }
        final INDArray[] x = new INDArray[teachers];
        for (int t = 0; t < teachers; t++) {
            x[t] = Sgemm.readableFloats(checked(features[t], n, widths[0], "features", t));
            checked(labels[t], n, 2 * widths[layers], "labels", t);
        }
        final GroupActivations.Views v = activations.views(n);
        forward(x, v);
        lossGradient(labels, n);
        backward(x, v);
        params.step(adam, iteration);
        iteration++;
    }

    private void forward(final INDArray[] x, final GroupActivations.Views v) {
        for (int l = 0; l < layers; l++) {
            // every row starts as the biases (a rank-1 GEMM), then += A W
            Sgemm.gemm(v.ones, false, params.bias(l), false, v.outputs[l], 1f, 0f);
            for (int t = 0; t < teachers; t++) {
                Sgemm.gemm(input(x, v, l, t), false, params.weight(l, t), false, v.outputBlocks[l][t], 1f, 1f);
            }
            if (l < layers - 1) {
                // ReLU and dropout as one product with the gate, which backward() reuses as the derivative
                Nd4j.exec(new Step(v.outputs[l], v.gates[l], 0.0));
                if (v.masks[l] != null) {
                    activations.drawMask(l, rng, layout.retain()[l + 1], (int) v.masks[l].length());
                    v.gates[l].muli(v.masks[l]);
                }
                v.outputs[l].muli(v.gates[l]);
            }
        }
    }

    /** dL/dlogits / n into the output layer's delta, per teacher and row, as DistillationLoss computes it. */
    private void lossGradient(final INDArray[] labels, final int n) {
        final int classes = widths[layers];
        final FloatBuffer logits = activations.logits();
        final FloatBuffer delta = activations.logitDeltas();
        final int rowWidth = 2 * classes;
        if (labelValues.length < n * rowWidth) {
            labelValues = new float[n * rowWidth];
        }
        final double alpha = layout.loss().alpha();
        final double temperature = layout.loss().temperature();
        for (int t = 0; t < teachers; t++) {
            // pulled minibatch rows are fresh row-major float arrays: read in place, else from a copy
            final INDArray given = labels[t];
            final boolean inPlace = given.dataType() == DataType.FLOAT && given.ordering() == 'c'
                    && given.elementWiseStride() == 1 && !given.isView();
            final INDArray rows = inPlace ? given : given.castTo(DataType.FLOAT).dup('c');
            floats(rows).get(0, labelValues, 0, n * rowWidth);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < classes; c++) {
                    // column-major [n x B*C]: row r, column t*C + c
                    z[c] = logits.get(r + n * (t * classes + c));
                    q[c] = labelValues[r * rowWidth + c];
                    y[c] = labelValues[r * rowWidth + classes + c];
                }
                Probabilities.distillationGradient(z, q, y, temperature, alpha, g);
                for (int c = 0; c < classes; c++) {
                    // DistillationLoss hands DL4J a float gradient, which its updater divides by n
                    delta.put(r + n * (t * classes + c), (float) g[c] / n);
                }
            }
        }
    }

    private void backward(final INDArray[] x, final GroupActivations.Views v) {
        for (int l = layers - 1; l >= 0; l--) {
            for (int t = 0; t < teachers; t++) {
                Sgemm.gemm(input(x, v, l, t), true, v.deltaBlocks[l][t], false, params.weightGradient(l, t), 1f, 0f);
            }
            Sgemm.gemm(v.ones, true, v.deltas[l], false, params.biasGradient(l), 1f, 0f);
            if (l == 0) {
                break;
            }
            for (int t = 0; t < teachers; t++) {
                Sgemm.gemm(v.deltaBlocks[l][t], false, params.weight(l, t), true, v.deltaBlocks[l - 1][t], 1f, 0f);
            }
            v.deltas[l - 1].muli(v.gates[l - 1]);
        }
    }

    /** What dense layer l of teacher t reads: its minibatch for the first, the block of the layer below else. */
    private static INDArray input(final INDArray[] x, final GroupActivations.Views v, final int l, final int t) {
        return l == 0 ? x[t] : v.outputBlocks[l - 1][t];
    }

    /** Puts the trained parameters back into the group's parameter views (its updater state is left as is). */
    public void writeTo(final ComputationGraph group) {
        params.writeTo(group);
    }

    /** Optimiser steps taken, including the group's before {@link #of}. */
    public int iterationCount() {
        return iteration;
    }

    private static INDArray checked(final INDArray a, final int n, final int cols, final String what, final int t) {
        if (a.rank() != 2 || a.size(0) != n || a.size(1) != cols) {
            throw new IllegalArgumentException(what + " of teacher " + t + " have shape " + Arrays.toString(a.shape())
                    + ", expected [" + n + ", " + cols + "]");
        }
        return a;
    }
}
