package dev.kdstream.student.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.definition.ReproducedLayers;
import dev.kdstream.model.definition.StudentModel;

/**
 * The student's forward pass in plain Java arrays, for serving one record at a time: ND4J's fixed
 * cost per call (~100 us for one record through {@code output()}) dwarfs the arithmetic of a
 * 3.5k-parameter MLP, which takes ~1 us here (docs/platform.md, "DL4J fixed cost per call").
 *
 * <p>Takes RAW features: the scaler fitted with the ensemble is applied first. Dense layers, ReLU on
 * the hidden ones, identity on the last, so {@link #logits} equals {@link StudentModel#logits}.
 *
 * <p>Immutable and thread-safe: the weights are copied once, when a checkpoint is loaded; the hidden
 * activations go to per-thread scratch buffers, so a call allocates only the array it returns.
 */
public final class FastStudent {

    private final long version;
    private final String ensembleVersion;
    private final double[] mean;
    private final double[] std;
    /** Per layer, [in x out] row-major: the inner loop adds x[i] * W[i, :] to the output row. */
    private final double[][] weights;
    private final double[][] biases;
    private final int[] widths;
    private final int maxHidden;
    /**
     * Per thread: the scaled input and two hidden-activation buffers, used alternately layer by
     * layer; grown to the widest student the thread has served. ONE ThreadLocal for the class, not
     * one per instance: a server makes a new FastStudent for every checkpoint, and each instance's
     * own ThreadLocal left a stale entry in the stream thread's ThreadLocalMap, whose lookups then
     * probed past them (a fifth of the server thread's time in {@code ./kd bench e2e --jfr}).
     */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[3][0]);

    private FastStudent(final long version, final String ensembleVersion, final Standardizer scaler,
                        final double[][] weights, final double[][] biases, final int[] widths) {
        this.version = version;
        this.ensembleVersion = ensembleVersion;
        this.mean = scaler.mean();
        this.std = scaler.std();
        this.weights = weights;
        this.biases = biases;
        this.widths = widths;
        int widest = 0;
        for (int l = 1; l < widths.length - 1; l++) {
            widest = Math.max(widest, widths[l]);
        }
        this.maxHidden = widest;
    }

    /** From a student as loaded from a checkpoint, with the manifest's version and scaler. */
    public static FastStudent of(final StudentModel student) {
        return of(student.network(), student.manifest().scaler(), student.manifest().version(),
                student.manifest().ensembleVersion());
    }

    /**
     * Copies the parameters of a student network ({@code "0_W"} [nIn x nOut], {@code "0_b"}, ...).
     *
     * @param scaler the scaler the network's inputs were standardised with
     */
    public static FastStudent of(final MultiLayerNetwork network, final Standardizer scaler, final long version,
                                 final String ensembleVersion) {
        if (scaler == null) {
            throw new IllegalArgumentException("the student has no scaler: it cannot take raw features");
        }
        final int layers = network.getnLayers();
        final Map<String, INDArray> params = network.paramTable();
        final double[][] weights = new double[layers][];
        final double[][] biases = new double[layers][];
        final int[] widths = new int[layers + 1];
        for (int l = 0; l < layers; l++) {
            ReproducedLayers.requireDense(network.getLayerWiseConfigurations().getConf(l).getLayer(), "layer " + l,
                    l == layers - 1, "Networks.student");
            final INDArray w = params.get(l + "_W");
            final INDArray b = params.get(l + "_b");
            if (w == null || b == null || w.rank() != 2) {
                throw new IllegalArgumentException("layer " + l + " is not a dense layer with weights and biases "
                        + "(parameters: " + params.keySet() + ")");
            }
            // toDoubleMatrix() indexes [row][column] whatever the array's 'c'/'f' ordering
            final double[][] matrix = w.toDoubleMatrix();
            final int in = matrix.length;
            final int out = matrix[0].length;
            if (l > 0 && in != widths[l]) {
                throw new IllegalArgumentException("layer " + l + " takes " + in + " inputs, but layer " + (l - 1)
                        + " has " + widths[l] + " outputs");
            }
            widths[l] = in;
            widths[l + 1] = out;
            final double[] flat = new double[in * out];
            for (int i = 0; i < in; i++) {
                System.arraycopy(matrix[i], 0, flat, i * out, out);
            }
            weights[l] = flat;
            biases[l] = b.toDoubleVector();
            if (biases[l].length != out) {
                throw new IllegalArgumentException("layer " + l + " has " + out + " outputs but " + biases[l].length
                        + " biases");
            }
        }
        if (scaler.width() != widths[0]) {
            throw new IllegalArgumentException("the scaler has " + scaler.width() + " columns but the network takes "
                    + widths[0] + " inputs");
        }
        return new FastStudent(version, ensembleVersion, scaler, weights, biases, widths);
    }

    /** The logits for one record of raw (unscaled) features. */
    public double[] logits(final double[] rawFeatures) {
        if (rawFeatures.length != widths[0]) {
            throw new IllegalArgumentException("expected " + widths[0] + " features, got " + rawFeatures.length);
        }
        final double[][] buffers = scratch();
        double[] x = buffers[0];
        for (int j = 0; j < widths[0]; j++) {
            // rounded to float as Standardizer.transform does: the exact input the trainer fed the network
            x[j] = (float) ((rawFeatures[j] - mean[j]) / std[j]);
        }
        final int last = weights.length - 1;
        final double[] logits = new double[widths[last + 1]];
        for (int l = 0; l <= last; l++) {
            final double[] y = l == last ? logits : buffers[1 + (l & 1)];
            dense(x, widths[l], weights[l], biases[l], widths[l + 1], y, l < last);
            x = y;
        }
        return logits;
    }

    /** This thread's buffers, at least as wide as this student's input and hidden layers. */
    private double[][] scratch() {
        final double[][] buffers = SCRATCH.get();
        if (buffers[0].length < widths[0]) {
            buffers[0] = new double[widths[0]];
        }
        if (buffers[1].length < maxHidden) {
            buffers[1] = new double[maxHidden];
            buffers[2] = new double[maxHidden];
        }
        return buffers;
    }

    /** y = relu?(x W + b), W [in x out] row-major. */
    private static void dense(final double[] x, final int in, final double[] w, final double[] b, final int out,
                              final double[] y, final boolean relu) {
        System.arraycopy(b, 0, y, 0, out);
        for (int i = 0; i < in; i++) {
            final double xi = x[i];
            if (xi == 0.0) {
                continue; // after a ReLU many inputs are exactly zero
            }
            final int row = i * out;
            for (int j = 0; j < out; j++) {
                y[j] += xi * w[row + j];
            }
        }
        if (relu) {
            for (int j = 0; j < out; j++) {
                if (y[j] < 0.0) {
                    y[j] = 0.0;
                }
            }
        }
    }

    /** softmax(logits): the class probabilities for one record of raw features. */
    public double[] probabilities(final double[] rawFeatures) {
        final double[] p = logits(rawFeatures);
        double max = Double.NEGATIVE_INFINITY;
        for (final double z : p) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(p[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The most likely class (the first one on ties). */
    public int predict(final double[] rawFeatures) {
        return Probabilities.argmax(logits(rawFeatures));
    }

    /** The checkpoint version these weights come from. */
    public long version() {
        return version;
    }

    /** The ensemble whose soft targets the student learned from. */
    public String ensembleVersion() {
        return ensembleVersion;
    }

    public int inputWidth() {
        return widths[0];
    }

    public int numClasses() {
        return widths[widths.length - 1];
    }

    /** Layer widths, input first, classes last. */
    public List<Integer> widths() {
        final List<Integer> list = new ArrayList<>(widths.length);
        for (final int w : widths) {
            list.add(w);
        }
        return List.copyOf(list);
    }

    @Override
    public String toString() {
        return "FastStudent[version=" + version + ", ensemble=" + ensembleVersion + ", widths=" + widths() + "]";
    }
}
