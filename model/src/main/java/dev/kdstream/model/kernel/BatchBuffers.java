package dev.kdstream.model.kernel;

/**
 * What one training step of an {@link Mlp} writes besides the parameters: every layer's
 * activations and deltas per record, and the gradient sums. Grown to the largest batch seen and
 * reused, so a step allocates nothing.
 */
final class BatchBuffers {

    private final int[] widths;
    /** Per layer (index 0: the input rows, the caller's own), one row per record. */
    final float[][][] activations;
    /** Per layer, dL/d(that layer's output) per record; the last is dL/dlogits. */
    final float[][][] deltas;
    final float[][][] gradW;
    final float[][] gradB;
    private int capacity;

    BatchBuffers(final int[] widths) {
        this.widths = widths.clone();
        final int layers = widths.length - 1;
        this.activations = new float[layers + 1][0][];
        this.deltas = new float[layers + 1][0][];
        this.gradW = new float[layers][][];
        this.gradB = new float[layers][];
        for (int l = 0; l < layers; l++) {
            gradW[l] = new float[widths[l]][widths[l + 1]];
            gradB[l] = new float[widths[l + 1]];
        }
    }

    /** Room for a batch of n records (layer 0 excepted: it is the caller's input). */
    void ensureCapacity(final int n) {
        if (n <= capacity) {
            return;
        }
        for (int l = 1; l < widths.length; l++) {
            activations[l] = new float[n][widths[l]];
            deltas[l] = new float[n][widths[l]];
        }
        capacity = n;
    }
}
