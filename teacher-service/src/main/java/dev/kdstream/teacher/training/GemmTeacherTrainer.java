package dev.kdstream.teacher.training;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import dev.kdstream.model.kernel.Adam;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.definition.DistillationLoss;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.bridge.NetworkBridge;

/**
 * The training step of one fused teacher group ({@link Networks#teacherGroup}: B teachers of one
 * shape, teacher t reading graph input t) on ND4J GEMMs, in place of
 * {@code graph.fit(MultiDataSet)}, whose per-fit overhead and dense layers cap near 35-45 GFLOP/s
 * here (docs/platform.md, "DL4J dense layer ceiling"): for six 20-256-128-64-2 teachers at batch 64, ~1.5 ms a step
 * against ~7-12 ms (measured side by side; {@code ./kd bench teacher-training}).
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
 * after 20 steps; a test checks it). Dropout masks come from a seeded {@link SplittableRandom},
 * not ND4J's RNG, so a training is bit-reproducible for a given seed (DL4J's CPU dropout is not:
 * deeplearning4j#5083).
 *
 * <p>How (B teachers; per step, per dense layer 3B+2 GEMMs, per hidden layer 3-4 elementwise ops):
 * <ul>
 *   <li>The activations of all teachers sit side by side in one COLUMN-MAJOR [n x B*width] buffer
 *       per layer: a teacher's column block is one contiguous [n x width] matrix, so its GEMMs read
 *       and write it in place (as in {@code FusedEnsembleForward}); elementwise work is one op per
 *       layer for the whole group.</li>
 *   <li>Forward: the bias of all teachers is one rank-1 GEMM (ones x biases) into the layer's
 *       buffer, then each teacher's A W is added by its own GEMM (the first layer's A being the
 *       teacher's own minibatch). ReLU and dropout are one product with a "gate", 0 where the unit
 *       is off or dropped and 1 (or 1/q) elsewhere, which is also their derivative: backward
 *       multiplies the delta by it (ND4J's relu_bp op measured 10x slower than a multiply).</li>
 *   <li>Backward per teacher: W's gradient A^T dZ and the delta below dZ W^T, GEMMs with transpose
 *       flags, written in place; the biases' gradient of all teachers is one GEMM (ones^T dZ).</li>
 *   <li>Parameters and gradients are each one flat buffer, per layer [W of teacher 0 | .. | W of
 *       teacher B-1 | biases of all teachers], of which the weights and biases above are views.
 *       Adam runs in Java over a float[] copy (ND4J's Adam op took ~3 ms for the 280k parameters
 *       of six default teachers, the loop ~0.1 ms with both copies).</li>
 * </ul>
 * Everything is allocated once, for {@code maxBatch} rows: a smaller batch uses the first n*width
 * elements of each buffer as an [n x width] column-major matrix.
 *
 * <p>The trainer copies the group's parameters when built and trains its copy: {@link #writeTo}
 * puts them back. The group's updater state is left as it was (the ensemble file does not store
 * it; teachers are not trained further). Not thread-safe: one per group and thread, like the graph.
 */
public final class GemmTeacherTrainer {

    private final TeacherGroupLayout layout;
    private final int teachers;
    /** Layer widths of one teacher: inputs, hidden..., classes. */
    private final int[] widths;
    /** Dense layers per teacher, the output layer included. */
    private final int layers;
    private final int maxBatch;
    private final SplittableRandom rng;
    private final Adam adam;
    private int iteration;

    /** The flat parameters and gradient in native memory, where the GEMMs read and write them... */
    private final INDArray paramStore;
    private final INDArray gradientStore;
    /** ...and in Java, where Adam updates them. */
    private final float[] paramValues;
    private final float[] gradientValues;
    /** Per layer, per teacher: W ('f', [in x out]) and its gradient, views of the flat buffers. */
    private final INDArray[][] weights;
    private final INDArray[][] weightGradients;
    /** Per layer: the biases of all teachers, [1 x B*out], and their gradient. */
    private final INDArray[] biases;
    private final INDArray[] biasGradients;

    /** Per layer, maxBatch*B*out floats: its outputs (logits for the last). */
    private final INDArray[] outputStore;
    /** Per layer: dL/d(its pre-activation). */
    private final INDArray[] deltaStore;
    /** Per hidden layer, d(output)/d(pre-activation): 0 where ReLU is off or the unit dropped, else 1 or 1/q. */
    private final INDArray[] gateStore;
    /** Per hidden layer whose output is dropped out (the next layer has dropout): the mask; null elsewhere. */
    private final INDArray[] maskStore;
    private final INDArray onesStore;
    private final float[] maskValues;
    private final double[] z;
    private final double[] q;
    private final double[] y;
    private final double[] g;
    private float[] labelValues = new float[0];

    private final Views full;
    private Views last;

    private GemmTeacherTrainer(final TeacherGroupLayout layout, final ComputationGraph graph, final int maxBatch,
                               final long dropoutSeed) {
        this.layout = layout;
        this.teachers = layout.teachers();
        this.widths = layout.widths();
        this.layers = layout.layers();
        this.maxBatch = maxBatch;
        this.rng = new SplittableRandom(dropoutSeed);

        // flat layout per layer: W of each teacher, then the biases of all teachers side by side
        long numParams = 0;
        for (int l = 0; l < layers; l++) {
            numParams += layout.layerParams(l);
        }
        if (numParams > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a group of " + numParams + " parameters is too large");
        }
        this.paramStore = Nd4j.create(DataType.FLOAT, numParams);
        this.gradientStore = Nd4j.create(DataType.FLOAT, numParams);
        this.weights = new INDArray[layers][teachers];
        this.weightGradients = new INDArray[layers][teachers];
        this.biases = new INDArray[layers];
        this.biasGradients = new INDArray[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            final int in = widths[l];
            final int out = widths[l + 1];
            for (int t = 0; t < teachers; t++) {
                weights[l][t] = matrix(paramStore, offset, in, out);
                weightGradients[l][t] = matrix(gradientStore, offset, in, out);
                weights[l][t].assign(TeacherGroupLayout.param(graph, layout.layerName(t, l), "W"));
                offset += (long) in * out;
            }
            biases[l] = matrix(paramStore, offset, 1, (long) teachers * out);
            biasGradients[l] = matrix(gradientStore, offset, 1, (long) teachers * out);
            for (int t = 0; t < teachers; t++) {
                biasBlock(biases[l], t, out).assign(TeacherGroupLayout.param(graph, layout.layerName(t, l), "b")
                        .reshape(1, out));
            }
            offset += (long) teachers * out;
        }
        this.paramValues = new float[(int) numParams];
        this.gradientValues = new float[(int) numParams];
        floats(paramStore).get(0, paramValues);
        this.adam = NetworkBridge.adamOf(layout.adam(), (int) numParams);
        this.iteration = graph.getIterationCount();

        this.outputStore = new INDArray[layers];
        this.deltaStore = new INDArray[layers];
        this.gateStore = new INDArray[layers];
        this.maskStore = new INDArray[layers];
        int largestMask = 0;
        for (int l = 0; l < layers; l++) {
            final long size = (long) maxBatch * teachers * widths[l + 1];
            outputStore[l] = Nd4j.create(DataType.FLOAT, size);
            deltaStore[l] = Nd4j.create(DataType.FLOAT, size);
            if (l < layers - 1) {
                gateStore[l] = Nd4j.create(DataType.FLOAT, size);
                if (layout.retain()[l + 1] < 1.0) {
                    maskStore[l] = Nd4j.create(DataType.FLOAT, size);
                    largestMask = Math.max(largestMask, (int) size);
                }
            }
        }
        this.onesStore = Nd4j.ones(DataType.FLOAT, maxBatch);
        this.maskValues = new float[largestMask];
        final int classes = widths[layers];
        this.z = new double[classes];
        this.q = new double[classes];
        this.y = new double[classes];
        this.g = new double[classes];
        this.full = new Views(maxBatch);
    }

    /**
     * A trainer starting from the group's current parameters and iteration count.
     *
     * @param maxBatch    the largest minibatch {@link #fit} will get (the training batch size)
     * @param dropoutSeed seeds the dropout masks
     */
    public static GemmTeacherTrainer of(final ComputationGraph group, final int maxBatch, final long dropoutSeed) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        return new GemmTeacherTrainer(TeacherGroupLayout.of(group), group, maxBatch, dropoutSeed);
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
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("minibatch of " + n + " rows; expected 1.." + maxBatch);
        }
        final INDArray[] x = new INDArray[teachers];
        for (int t = 0; t < teachers; t++) {
            x[t] = checked(features[t], n, widths[0], "features", t).castTo(DataType.FLOAT);
            checked(labels[t], n, 2 * widths[layers], "labels", t);
        }
        final Views v = views(n);
        forward(x, v);
        lossGradient(labels, n);
        backward(x, v);
        floats(gradientStore).get(0, gradientValues);
        adam.step(paramValues, gradientValues, iteration);
        floats(paramStore).put(0, paramValues);
        iteration++;
    }

    private void forward(final INDArray[] x, final Views v) {
        for (int l = 0; l < layers; l++) {
            // every row starts as the biases (a rank-1 GEMM: cheaper than ND4J's broadcast add), then += A W
            Nd4j.gemm(v.ones, biases[l], v.outputs[l], false, false, 1.0, 0.0);
            for (int t = 0; t < teachers; t++) {
                Nd4j.gemm(input(x, v, l, t), weights[l][t], v.outputBlocks[l][t], false, false, 1.0, 1.0);
            }
            if (l < layers - 1) {
                // ReLU and dropout as one product with the gate, which backward() reuses as the derivative
                Nd4j.exec(new Step(v.outputs[l], v.gates[l], 0.0));
                if (v.masks[l] != null) {
                    final int count = (int) v.masks[l].length();
                    dropoutMask(rng, layout.retain()[l + 1], maskValues, count);
                    floats(maskStore[l]).put(0, maskValues, 0, count);
                    v.gates[l].muli(v.masks[l]);
                }
                v.outputs[l].muli(v.gates[l]);
            }
        }
    }

    /**
     * DL4J's inverted dropout mask: each of the first {@code count} units kept with probability
     * {@code keep} and then scaled by 1/keep (so the expected activation is unchanged), else 0.
     */
    static void dropoutMask(final SplittableRandom rng, final double keep, final float[] mask, final int count) {
        final float scale = (float) (1.0 / keep);
        // a unit is kept when an unsigned 32-bit draw is below keep * 2^32: two units per nextLong;
        // branch-free (the sign bit of draw - threshold), since random branches mispredict (4x slower)
        final long threshold = (long) (keep * 4294967296.0);
        for (int i = 0; i < count; i += 2) {
            final long bits = rng.nextLong();
            mask[i] = scale * (float) (((bits >>> 32) - threshold) >>> 63);
            if (i + 1 < count) {
                mask[i + 1] = scale * (float) (((bits & 0xFFFFFFFFL) - threshold) >>> 63);
            }
        }
    }

    /** dL/dlogits / n into the output layer's delta, per teacher and row, as DistillationLoss computes it. */
    private void lossGradient(final INDArray[] labels, final int n) {
        final int classes = widths[layers];
        final FloatBuffer logits = floats(outputStore[layers - 1]);
        final FloatBuffer delta = floats(deltaStore[layers - 1]);
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

    private void backward(final INDArray[] x, final Views v) {
        for (int l = layers - 1; l >= 0; l--) {
            for (int t = 0; t < teachers; t++) {
                Nd4j.gemm(input(x, v, l, t), v.deltaBlocks[l][t], weightGradients[l][t], true, false, 1.0, 0.0);
            }
            Nd4j.gemm(v.ones, v.deltas[l], biasGradients[l], true, false, 1.0, 0.0);
            if (l == 0) {
                break;
            }
            for (int t = 0; t < teachers; t++) {
                Nd4j.gemm(v.deltaBlocks[l][t], weights[l][t], v.deltaBlocks[l - 1][t], false, true, 1.0, 0.0);
            }
            v.deltas[l - 1].muli(v.gates[l - 1]);
        }
    }

    /** What dense layer l of teacher t reads: its minibatch for the first, the block of the layer below else. */
    private static INDArray input(final INDArray[] x, final Views v, final int l, final int t) {
        return l == 0 ? x[t] : v.outputBlocks[l - 1][t];
    }

    /** Puts the trained parameters back into the group's parameter views (its updater state is left as is). */
    public void writeTo(final ComputationGraph group) {
        for (int t = 0; t < teachers; t++) {
            for (int l = 0; l < layers; l++) {
                final String layer = layout.layerName(t, l);
                final INDArray w = TeacherGroupLayout.param(group, layer, "W");
                final INDArray b = TeacherGroupLayout.param(group, layer, "b");
                if (w.size(0) != widths[l] || w.size(1) != widths[l + 1] || b.length() != widths[l + 1]) {
                    throw new IllegalArgumentException("the group's layer " + layer + " does not have this trainer's "
                            + "shape");
                }
                w.assign(weights[l][t]);
                b.assign(biasBlock(biases[l], t, widths[l + 1]).reshape(b.shape()));
            }
        }
    }

    /** Optimiser steps taken, including the group's before {@link #of}. */
    public int iterationCount() {
        return iteration;
    }

    private Views views(final int n) {
        if (n == maxBatch) {
            return full;
        }
        if (last == null || last.rows != n) {
            last = new Views(n);
        }
        return last;
    }

    /** [n x width] column-major matrices over the first n*width elements of the buffers. */
    private final class Views {
        final int rows;
        final INDArray[] outputs;
        final INDArray[] deltas;
        final INDArray[] gates;
        final INDArray[] masks;
        /** Per layer, per teacher: its [n x out] column block (contiguous in 'f' order). */
        final INDArray[][] outputBlocks;
        final INDArray[][] deltaBlocks;
        final INDArray ones;

        Views(final int n) {
            this.rows = n;
            this.outputs = new INDArray[layers];
            this.deltas = new INDArray[layers];
            this.gates = new INDArray[layers];
            this.masks = new INDArray[layers];
            this.outputBlocks = new INDArray[layers][];
            this.deltaBlocks = new INDArray[layers][];
            for (int l = 0; l < layers; l++) {
                final long cols = (long) teachers * widths[l + 1];
                outputs[l] = matrix(outputStore[l], 0, n, cols);
                deltas[l] = matrix(deltaStore[l], 0, n, cols);
                gates[l] = gateStore[l] == null ? null : matrix(gateStore[l], 0, n, cols);
                masks[l] = maskStore[l] == null ? null : matrix(maskStore[l], 0, n, cols);
                outputBlocks[l] = blocks(outputs[l], widths[l + 1]);
                deltaBlocks[l] = blocks(deltas[l], widths[l + 1]);
            }
            this.ones = matrix(onesStore, 0, n, 1);
        }

        private INDArray[] blocks(final INDArray m, final int width) {
            final INDArray[] blocks = new INDArray[teachers];
            for (int t = 0; t < teachers; t++) {
                blocks[t] = m.get(NDArrayIndex.all(), NDArrayIndex.interval((long) t * width, (long) (t + 1) * width));
            }
            return blocks;
        }
    }

    /** An [rows x cols] column-major view of a flat (rank 1) buffer, from {@code offset}. */
    private static INDArray matrix(final INDArray flat, final long offset, final long rows, final long cols) {
        return flat.get(NDArrayIndex.interval(offset, offset + rows * cols)).reshape('f', rows, cols);
    }

    private static INDArray biasBlock(final INDArray row, final int t, final int width) {
        return row.get(NDArrayIndex.all(), NDArrayIndex.interval((long) t * width, (long) (t + 1) * width));
    }

    /** The native buffer of a (non-view) array as floats, to read and write it from Java. */
    private static FloatBuffer floats(final INDArray a) {
        return a.data().asNioFloat();
    }

    private static INDArray checked(final INDArray a, final int n, final int cols, final String what, final int t) {
        if (a.rank() != 2 || a.size(0) != n || a.size(1) != cols) {
            throw new IllegalArgumentException(what + " of teacher " + t + " have shape " + Arrays.toString(a.shape())
                    + ", expected [" + n + ", " + cols + "]");
        }
        return a;
    }
}
