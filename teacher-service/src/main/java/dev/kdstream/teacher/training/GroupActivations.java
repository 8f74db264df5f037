package dev.kdstream.teacher.training;

import static dev.kdstream.teacher.training.ColumnMajor.blocks;
import static dev.kdstream.teacher.training.ColumnMajor.floats;
import static dev.kdstream.teacher.training.ColumnMajor.matrix;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The buffers of a teacher group's training step, allocated once for {@code maxBatch} rows: per
 * dense layer, the outputs of all teachers side by side in one COLUMN-MAJOR [n x B*width] matrix
 * (logits for the last), dL/d(pre-activation), and for hidden layers the gate and dropout mask. A
 * smaller batch uses the first n*width elements of each buffer as an [n x width] matrix
 * ({@link #views}).
 */
final class GroupActivations {

    private final int teachers;
    private final int[] widths;
    private final int layers;
    private final int maxBatch;
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

    private final Views full;
    private Views last;

    GroupActivations(final TeacherGroupLayout layout, final int maxBatch) {
        this.teachers = layout.teachers();
        this.widths = layout.widths();
        this.layers = layout.layers();
        this.maxBatch = maxBatch;
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
        this.full = new Views(maxBatch);
    }

    int maxBatch() {
        return maxBatch;
    }

    /** The buffers as [n x width] matrices, for a minibatch of n rows. */
    Views views(final int n) {
        if (n == maxBatch) {
            return full;
        }
        if (last == null || last.rows != n) {
            last = new Views(n);
        }
        return last;
    }

    /** Draws a new dropout mask for hidden layer l's first {@code count} units, keeping each with {@code keep}. */
    void drawMask(final int l, final SplittableRandom rng, final double keep, final int count) {
        DropoutMask.fill(rng, keep, maskValues, count);
        floats(maskStore[l]).put(0, maskValues, 0, count);
    }

    /** The logits of all teachers, column-major [n x B*C] in the first n*B*C floats. */
    FloatBuffer logits() {
        return floats(outputStore[layers - 1]);
    }

    /** dL/dlogits, laid out as {@link #logits}. */
    FloatBuffer logitDeltas() {
        return floats(deltaStore[layers - 1]);
    }

    /** [n x width] column-major matrices over the first n*width elements of the buffers. */
    final class Views {
        final int rows;
        final INDArray[] outputs;
        final INDArray[] deltas;
        final INDArray[] gates;
        final INDArray[] masks;
        /** Per layer, per teacher: its [n x out] column block (contiguous in 'f' order). */
        final INDArray[][] outputBlocks;
        final INDArray[][] deltaBlocks;
        final INDArray ones;

        private Views(final int n) {
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
                outputBlocks[l] = blocks(outputs[l], teachers, widths[l + 1]);
                deltaBlocks[l] = blocks(deltas[l], teachers, widths[l + 1]);
            }
            this.ones = matrix(onesStore, 0, n, 1);
        }
    }
}
