package dev.kdstream.model.kernel;

import java.util.Arrays;

/**
 * The student's network as plain float arrays: dense layers, ReLU on the hidden ones, identity on
 * the last (logits), the shape {@code Networks.student} defines. One forward ({@link #layer}) serves
 * a single record (serving, scoring) and a batch kept for {@link #backward} (training), so the
 * model served is the model trained, computed by the same lines.
 *
 * <p>Weights are rows {@code [layer][in][out]}: the inner loops add {@code x[k] * W[k][:]} to an
 * output row, and index both arrays with the same index. The parameter order of
 * {@link #parameters} (per layer: the weight rows, then the biases) is the one order the Adam
 * moments and the DL4J bridge follow.
 *
 * <p>The arrays are the owner's: an optimiser changes them in place, a server keeps a private copy
 * it never changes (then any number of threads may call {@link #forward} with their own scratch).
 */
public final class Mlp {

    /** Layer widths, input first, classes last. */
    private final int[] widths;
    private final float[][][] weights;
    private final float[][] biases;

    private Mlp(final int[] widths, final float[][][] weights, final float[][] biases) {
        this.widths = widths;
        this.weights = weights;
        this.biases = biases;
    }

    /**
     * From parameters in {@link #parameters} order.
     *
     * @param widths layer widths, input first, classes last (at least one layer)
     */
    public static Mlp of(final int[] widths, final float[] parameters) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("need at least one layer, got widths " + Arrays.toString(widths));
        }
        final int layers = widths.length - 1;
        final float[][][] weights = new float[layers][][];
        final float[][] biases = new float[layers][];
        int at = 0;
        for (int l = 0; l < layers; l++) {
            weights[l] = new float[widths[l]][];
            for (int k = 0; k < widths[l]; k++) {
                weights[l][k] = Arrays.copyOfRange(parameters, at, at + widths[l + 1]);
                at += widths[l + 1];
            }
            biases[l] = Arrays.copyOfRange(parameters, at, at + widths[l + 1]);
            at += widths[l + 1];
        }
        if (at != parameters.length) {
            throw new IllegalArgumentException("widths " + Arrays.toString(widths) + " take " + at
                    + " parameters, got " + parameters.length);
        }
        return new Mlp(widths.clone(), weights, biases);
    }

    /** All parameters in order: per layer, the weight rows, then the biases. */
    public float[] parameters() {
        final float[] out = new float[parameterCount()];
        int at = 0;
        for (int l = 0; l < layers(); l++) {
            for (final float[] row : weights[l]) {
                System.arraycopy(row, 0, out, at, row.length);
                at += row.length;
            }
            System.arraycopy(biases[l], 0, out, at, biases[l].length);
            at += biases[l].length;
        }
        return out;
    }

    public int parameterCount() {
        int count = 0;
        for (int l = 0; l < layers(); l++) {
            count += (widths[l] + 1) * widths[l + 1];
        }
        return count;
    }

    public int layers() {
        return widths.length - 1;
    }

    /** Layer widths, input first, classes last. */
    public int[] widths() {
        return widths.clone();
    }

    public int inputs() {
        return widths[0];
    }

    public int classes() {
        return widths[widths.length - 1];
    }

    /** The widest hidden layer (0 without one): the width of {@link #forward}'s scratch buffers. */
    public int maxHidden() {
        int widest = 0;
        for (int l = 1; l < widths.length - 1; l++) {
            widest = Math.max(widest, widths[l]);
        }
        return widest;
    }

    /** Layer {@code l}'s weight rows [in][out], changed in place by an optimiser. */
    float[][] weights(final int l) {
        return weights[l];
    }

    /** Layer {@code l}'s biases, changed in place by an optimiser. */
    float[] biases(final int l) {
        return biases[l];
    }

    /**
     * The logits of one record.
     *
     * @param input   at least {@link #inputs} values (extra ones are not read)
     * @param scratch two buffers at least {@link #maxHidden} wide, for the hidden activations
     * @param logits  receives the {@link #classes} logits
     */
    public void forward(final float[] input, final float[][] scratch, final float[] logits) {
        final int last = layers() - 1;
        float[] x = input;
        for (int l = 0; l <= last; l++) {
            final float[] y = l == last ? logits : scratch[l & 1];
            layer(x, weights[l], biases[l], y, l < last);
            x = y;
        }
    }

    /**
     * The forward pass of a batch, every layer's activations kept for {@link #backward}.
     *
     * @param activations per layer, one row per record; {@code [0]} holds the input rows
     */
    void forward(final float[][][] activations, final int n) {
        final int last = layers() - 1;
        for (int r = 0; r < n; r++) {
            for (int l = 0; l <= last; l++) {
                layer(activations[l][r], weights[l], biases[l], activations[l + 1][r], l < last);
            }
        }
    }

    /**
     * Back-propagates dL/dlogits ({@code deltas[layers]}, one row per record) and sums the
     * parameters' gradients over the batch into {@code gradW}/{@code gradB} (overwritten).
     * {@code deltas[l]} for the hidden layers are overwritten too.
     */
    void backward(final float[][][] activations, final float[][][] deltas, final int n, final float[][][] gradW,
                  final float[][] gradB) {
        for (int l = layers() - 1; l >= 0; l--) {
            final float[][] w = weights[l];
            final float[][] gw = gradW[l];
            final float[] gb = gradB[l];
            for (final float[] row : gw) {
                Arrays.fill(row, 0.0f);
            }
            Arrays.fill(gb, 0.0f);
            for (int r = 0; r < n; r++) {
                final float[] d = deltas[l + 1][r];
                final float[] a = activations[l][r];
                for (int j = 0; j < gb.length; j++) {
                    gb[j] += d[j];
                }
                for (int k = 0; k < w.length; k++) {
                    final float ak = a[k];
                    if (ak == 0.0f) {
                        continue; // after a ReLU many inputs are exactly zero
                    }
                    final float[] gk = gw[k];
                    for (int j = 0; j < gk.length; j++) {
                        gk[j] += ak * d[j];
                    }
                }
                if (l > 0) {
                    final float[] below = deltas[l][r];
                    for (int k = 0; k < w.length; k++) {
                        // ReLU: no gradient where the unit was off
                        below[k] = a[k] > 0.0f ? dot(w[k], d) : 0.0f;
                    }
                }
            }
        }
    }

    /** y = x W + b, then ReLU if asked; W [in][out], reading x[0..in) and writing y[0..out). */
    private static void layer(final float[] x, final float[][] w, final float[] b, final float[] y,
                              final boolean relu) {
        final int out = b.length;
        System.arraycopy(b, 0, y, 0, out);
        for (int k = 0; k < w.length; k++) {
            final float xk = x[k];
            if (xk == 0.0f) {
                continue;
            }
            final float[] wk = w[k];
            for (int j = 0; j < out; j++) {
                y[j] += xk * wk[j];
            }
        }
        if (relu) {
            for (int j = 0; j < out; j++) {
                y[j] = Math.max(y[j], 0.0f);
            }
        }
    }

    private static float dot(final float[] a, final float[] b) {
        float sum = 0.0f;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }

    @Override
    public String toString() {
        return "Mlp" + Arrays.toString(widths);
    }
}
