package dev.kdstream.teacher.training;

import static dev.kdstream.teacher.training.ColumnMajor.block;
import static dev.kdstream.teacher.training.ColumnMajor.floats;
import static dev.kdstream.teacher.training.ColumnMajor.matrix;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.model.kernel.Adam;

/**
 * A copy of a teacher group's parameters and their gradient, each one flat buffer laid out per
 * layer as [W of teacher 0 | .. | W of teacher B-1 | biases of all teachers], of which the weights
 * and biases are views. The GEMMs read and write the native buffers; Adam runs in Java over a
 * float[] copy of them (ND4J's Adam op cost far more than the loop and both copies together).
 */
final class GroupParameters {

    private final TeacherGroupLayout layout;
    private final INDArray paramStore;
    private final INDArray gradientStore;
    private final float[] paramValues;
    private final float[] gradientValues;
    /** Per layer, per teacher: W ('f', [in x out]) and its gradient. */
    private final INDArray[][] weights;
    private final INDArray[][] weightGradients;
    /** Per layer: the biases of all teachers, [1 x B*out], and their gradient. */
    private final INDArray[] biases;
    private final INDArray[] biasGradients;

    /** Copies the group's current parameters. */
    GroupParameters(final TeacherGroupLayout layout, final ComputationGraph graph) {
        this.layout = layout;
        final int teachers = layout.teachers();
        final int layers = layout.layers();
        final int[] widths = layout.widths();
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
                block(biases[l], t, out).assign(TeacherGroupLayout.param(graph, layout.layerName(t, l), "b")
                        .reshape(1, out));
            }
            offset += (long) teachers * out;
        }
        this.paramValues = new float[(int) numParams];
        this.gradientValues = new float[(int) numParams];
        floats(paramStore).get(0, paramValues);
    }

    int count() {
        return paramValues.length;
    }

    /** W of dense layer l of teacher t, ['f', in x out]. */
    INDArray weight(final int l, final int t) {
        return weights[l][t];
    }

    INDArray weightGradient(final int l, final int t) {
        return weightGradients[l][t];
    }

    /** The biases of layer l of all teachers side by side, [1 x B*out]. */
    INDArray bias(final int l) {
        return biases[l];
    }

    INDArray biasGradient(final int l) {
        return biasGradients[l];
    }

    /** {@code params -= update}, Adam's update for the gradient the GEMMs left in the gradient buffer. */
    void step(final Adam adam, final int iteration) {
        floats(gradientStore).get(0, gradientValues);
        adam.step(paramValues, gradientValues, iteration);
        floats(paramStore).put(0, paramValues);
    }

    /** Puts the parameters back into the group's parameter views (its updater state is left as is). */
    void writeTo(final ComputationGraph group) {
        final int[] widths = layout.widths();
        for (int t = 0; t < layout.teachers(); t++) {
            for (int l = 0; l < layout.layers(); l++) {
                final String layer = layout.layerName(t, l);
                final INDArray w = TeacherGroupLayout.param(group, layer, "W");
                final INDArray b = TeacherGroupLayout.param(group, layer, "b");
                if (w.size(0) != widths[l] || w.size(1) != widths[l + 1] || b.length() != widths[l + 1]) {
                    throw new IllegalArgumentException("the group's layer " + layer + " does not have this trainer's "
                            + "shape");
                }
                w.assign(weights[l][t]);
                b.assign(block(biases[l], t, widths[l + 1]).reshape(b.shape()));
            }
        }
    }
}
