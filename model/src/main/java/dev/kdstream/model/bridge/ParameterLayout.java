package dev.kdstream.model.bridge;

import java.util.Arrays;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.kdstream.model.definition.ReproducedLayers;
import dev.kdstream.model.kernel.Mlp;

/**
 * Where each parameter of an {@link Mlp}, in {@link Mlp#parameters} order, sits in a student
 * network's flat parameter vector. Read from the parameter views' offsets and strides: DL4J's
 * weight views are 'f'-ordered, so the strides say the layout rather than an assumed one.
 *
 * @param widths    layer widths, input first, classes last
 * @param flatIndex per kernel parameter, its index in {@code network.params()}
 */
record ParameterLayout(int[] widths, int[] flatIndex) {

    /** Of a network of dense layers ({@code Networks.student}'s shape), checked layer by layer. */
    static ParameterLayout of(final MultiLayerNetwork network) {
        final int layers = network.getnLayers();
        final int[] widths = new int[layers + 1];
        final long base = network.params().offset();
        final int[] index = new int[(int) network.params().length()];
        int at = 0;
        for (int l = 0; l < layers; l++) {
            ReproducedLayers.requireDense(network.getLayerWiseConfigurations().getConf(l).getLayer(), "layer " + l,
                    l == layers - 1, "Networks.student");
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
            if (b.length() != out) {
                throw new IllegalArgumentException("layer " + l + " has " + out + " outputs but " + b.length()
                        + " biases");
            }
            widths[l] = in;
            widths[l + 1] = out;
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    index[at++] = (int) (w.offset() - base + i * w.stride(0) + j * w.stride(1));
                }
            }
            final long stride = b.stride(b.rank() - 1);
            for (int j = 0; j < out; j++) {
                index[at++] = (int) (b.offset() - base + j * stride);
            }
        }
        if (at != index.length) {
            throw new IllegalArgumentException("the network has " + index.length + " parameters, its dense layers "
                    + at);
        }
        return new ParameterLayout(widths, index);
    }

    int size() {
        return flatIndex.length;
    }

    /** The kernel-order values of a flat vector, through {@code stateIndex} if not null. */
    float[] gather(final float[] flat, final int[] stateIndex) {
        final float[] out = new float[flatIndex.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = flat[stateIndex == null ? flatIndex[i] : stateIndex[flatIndex[i]]];
        }
        return out;
    }

    /** The reverse of {@link #gather}. */
    void scatter(final float[] values, final int[] stateIndex, final float[] flat) {
        for (int i = 0; i < values.length; i++) {
            flat[stateIndex == null ? flatIndex[i] : stateIndex[flatIndex[i]]] = values[i];
        }
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof ParameterLayout p && Arrays.equals(widths, p.widths)
                && Arrays.equals(flatIndex, p.flatIndex);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(widths) + Arrays.hashCode(flatIndex);
    }

    @Override
    public String toString() {
        return "ParameterLayout" + Arrays.toString(widths);
    }
}
