package dev.kdstream.teacher.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.ReproducedLayers;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.teacher.gemm.Sgemm;


/**
 * The teacher ensemble's batched forward pass on BLAS GEMMs ({@link Sgemm}): the same mean logits
 * as {@link TeacherEnsemble#logits}, without DL4J's dense layers, which run well below what the BLAS
 * kernels give (docs/platform.md, "DL4J dense layer ceiling"), and without ND4J's cost per GEMM call,
 * which is a large share of the small per-teacher GEMMs.
 *
 * <p>How, for T teachers of hidden widths h1, h2, ..., all with the same shape:
 * <ul>
 *   <li>The first layer of all teachers is ONE GEMM: their W1 side by side, [in x T*h1], since
 *       every teacher reads the same features.</li>
 *   <li>Each later hidden layer is one GEMM per teacher, reading that teacher's column block of
 *       the previous layer's activations and writing its own column block of the next.</li>
 *   <li>The output layer is ONE GEMM again: the mean of the teachers' logits is
 *       (1/T) * [H_1 .. H_T] * [W_1; ..; W_T] + mean(b), so the last hidden activations of all
 *       teachers, side by side, times their output weights stacked.</li>
 *   <li>Each layer's biases, all teachers' side by side, are a rank-1 GEMM that its GEMMs then add to;
 *       ReLU is one in-place op per layer, over all teachers' columns at once.</li>
 * </ul>
 * Every activation buffer is preallocated, COLUMN-MAJOR ('f'): in column-major order a column
 * block of an [n x T*h] matrix is one contiguous [n x h] matrix, so the per-teacher GEMMs read and
 * write their blocks in place, with no copy (row-major outputs and a 3-D batched matmul are slower:
 * docs/platform.md, "Fused GEMM layout").
 *
 * <p>A buffer holds {@code maxBatch} rows; a smaller batch uses the first n*width elements of it
 * as an [n x width] column-major matrix (still contiguous). Larger batches are cut into chunks.
 *
 * <p>The weights are COPIED when this is built: later training of the ensemble's networks does
 * not reach it. Dropout is inference-time identity, as in {@code output(false, ...)}.
 *
 * <p>NOT thread-safe: the buffers are shared by every call. One instance per thread (per Kafka
 * Streams task). Tasks can share the {@link TeacherEnsemble} it is built from, which only
 * the copying reads.
 */
public final class EnsembleForward {

    private static final int RECENT_VIEWS = 32;

    private final int teachers;
    private final int inputs;
    private final int classes;
    private final int maxBatch;
    /** Hidden widths of ONE teacher. */
    private final int[] hidden;
    /** First layer of all teachers side by side: [inputs x T*h1], 'f'. */
    private final INDArray firstWeights;
    /** Per hidden layer, the biases of all teachers side by side: [1 x T*h]. */
    private final INDArray[] hiddenBiases;
    /** Per hidden layer l >= 1, per teacher: [h(l-1) x h(l)], 'f'. Index 0 unused. */
    private final INDArray[][] innerWeights;
    /** Output weights of all teachers stacked: [T*h_last x classes], 'f'. */
    private final INDArray outputWeights;
    /** The mean of the teachers' output biases: [1 x classes]. */
    private final INDArray meanOutputBias;
    /** Per hidden layer, maxBatch * T * h floats; plus one for the logits. */
    private final INDArray[] activationStore;
    private final INDArray logitStore;
    /** maxBatch ones, a column: the rank-1 GEMMs that set every row to the biases read its first n. */
    private final INDArray ones;

    /**
     * Views per batch size, the most recently used kept: a streaming batcher flushes many partial
     * batches of recurring sizes, and building views allocates ND4J objects (whose deallocator
     * registration showed in the teacher's profile). A full batch has its own, always kept.
     */
    private final Map<Integer, Views> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Integer, Views> eldest) {
            return size() > RECENT_VIEWS;
        }
    };
    private Views full;

    private EnsembleForward(final int teachers, final int inputs, final int classes, final int maxBatch,
                                 final int[] hidden, final INDArray firstWeights, final INDArray[] hiddenBiases,
                                 final INDArray[][] innerWeights, final INDArray outputWeights,
                                 final INDArray meanOutputBias) {
        this.teachers = teachers;
        this.inputs = inputs;
        this.classes = classes;
        this.maxBatch = maxBatch;
        this.hidden = hidden;
        this.firstWeights = firstWeights;
        this.hiddenBiases = hiddenBiases;
        this.innerWeights = innerWeights;
        this.outputWeights = outputWeights;
        this.meanOutputBias = meanOutputBias;
        this.activationStore = new INDArray[hidden.length];
        for (int l = 0; l < hidden.length; l++) {
            activationStore[l] = Nd4j.create(DataType.FLOAT, (long) maxBatch * teachers * hidden[l]);
        }
        this.logitStore = Nd4j.create(DataType.FLOAT, (long) maxBatch * classes);
        this.ones = Nd4j.ones(DataType.FLOAT, maxBatch);
        this.full = new Views(maxBatch);
    }

    /**
     * Copies the weights of an ensemble's teachers (fused groups as {@link Networks#teacherGroup}
     * builds them: layers {@code t{b}_h{l}} dense + ReLU, output {@code t{b}} identity).
     *
     * @param maxBatch the largest batch processed in one pass; buffers take
     *                 4 * maxBatch * (T * sum(hidden) + classes) bytes
     */
    public static EnsembleForward of(final TeacherEnsemble ensemble, final int maxBatch) {
        // every stream thread builds its own forward from the one loaded ensemble: DL4J networks are
        // not thread-safe even to read from (docs/platform.md, "DL4J thread safety"), so one copy at a time
        synchronized (ensemble) {
            return copyOf(ensemble, maxBatch);
        }
    }

    private static EnsembleForward copyOf(final TeacherEnsemble ensemble, final int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        final List<Map<String, INDArray>> tables = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        for (final ComputationGraph group : ensemble.groups()) {
            final Map<String, INDArray> params = group.paramTable();
            final int branches = group.getConfiguration().getNetworkOutputs().size();
            for (int b = 0; b < branches; b++) {
                checkActivations(group, b);
                tables.add(params);
                prefixes.add(Networks.outputName(b));
            }
        }
        final int teachers = tables.size();
        final Map<String, INDArray> first = tables.get(0);
        final String p0 = prefixes.get(0);
        int layers = 0;
        while (first.containsKey(Networks.hiddenName(p0, layers) + "_W")) {
            layers++;
        }
        if (layers == 0) {
            throw new IllegalArgumentException("teacher " + p0 + " has no hidden layer (parameters: " + first.keySet() + ")");
        }
        final int[] hidden = new int[layers];
        for (int l = 0; l < layers; l++) {
            hidden[l] = (int) first.get(Networks.hiddenName(p0, l) + "_W").size(1);
        }
        final int inputs = (int) first.get(Networks.hiddenName(p0, 0) + "_W").size(0);
        final int classes = (int) param(first, p0, p0 + "_W").size(1);

        final INDArray firstWeights = Nd4j.create(DataType.FLOAT, new long[] {inputs, (long) teachers * hidden[0]}, 'f');
        final INDArray[] hiddenBiases = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            hiddenBiases[l] = Nd4j.create(DataType.FLOAT, 1, (long) teachers * hidden[l]);
        }
        final INDArray[][] innerWeights = new INDArray[layers][teachers];
        final INDArray outputWeights = Nd4j.create(DataType.FLOAT, new long[] {(long) teachers * hidden[layers - 1], classes}, 'f');
        final INDArray meanOutputBias = Nd4j.create(DataType.FLOAT, 1, classes);

        for (int t = 0; t < teachers; t++) {
            final Map<String, INDArray> params = tables.get(t);
            final String p = prefixes.get(t);
            int in = inputs;
            for (int l = 0; l < layers; l++) {
                final String layer = Networks.hiddenName(p, l);
                final INDArray w = shaped(param(params, p, layer + "_W"), in, hidden[l], layer + "_W");
                final INDArray b = bias(param(params, p, layer + "_b"), hidden[l], layer + "_b");
                if (l == 0) {
                    firstWeights.get(NDArrayIndex.all(), block(t, hidden[0])).assign(w);
                } else {
                    innerWeights[l][t] = w.castTo(DataType.FLOAT).dup('f');
                }
                hiddenBiases[l].get(NDArrayIndex.all(), block(t, hidden[l])).assign(b);
                in = hidden[l];
            }
            outputWeights.get(block(t, in), NDArrayIndex.all()).assign(shaped(param(params, p, p + "_W"), in, classes, p + "_W"));
            meanOutputBias.addi(bias(param(params, p, p + "_b"), classes, p + "_b").castTo(DataType.FLOAT));
        }
        meanOutputBias.divi(teachers);
        if (teachers != ensemble.manifest().teacherCount()) {
            throw new IllegalArgumentException("found " + teachers + " teachers, the manifest says "
                    + ensemble.manifest().teacherCount());
        }
        return new EnsembleForward(teachers, inputs, classes, maxBatch, hidden, firstWeights, hiddenBiases,
                innerWeights, outputWeights, meanOutputBias);
    }

    /**
     * Mean of the teachers' logits for standardised features [n x inputs], as
     * {@link TeacherEnsemble#logits}: [n x classes].
     *
     * <p>For n <= maxBatch the result is a VIEW of an internal buffer, valid until the next call on
     * this instance: read it (or {@code dup()} it) before calling again.
     */
    public INDArray logits(final INDArray scaledFeatures) {
        if (scaledFeatures.rank() != 2 || scaledFeatures.size(1) != inputs) {
            throw new IllegalArgumentException("expected features [n x " + inputs + "], got "
                    + Arrays.toString(scaledFeatures.shape()));
        }
        final INDArray x = Sgemm.readableFloats(scaledFeatures);
        final int n = (int) x.size(0);
        if (n == 0) {
            return Nd4j.create(DataType.FLOAT, 0, classes);
        }
        if (n <= maxBatch) {
            return forward(x, views(n));
        }
        // larger than the buffers: in chunks, into a fresh array
        final INDArray result = Nd4j.create(DataType.FLOAT, new long[] {n, classes}, 'f');
        for (int from = 0; from < n; from += maxBatch) {
            final int to = Math.min(n, from + maxBatch);
            // a row block of a column-major input is not contiguous: copied, then
            final INDArray chunk = Sgemm.readableFloats(x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            result.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(forward(chunk, views(to - from)));
        }
        return result;
    }

    private INDArray forward(final INDArray x, final Views v) {
        // every layer's rows start as its biases, a rank-1 GEMM (ones [n x 1] times the bias row), and
        // its GEMMs add to them: one call into ND4J fewer per layer than a broadcast add (docs/benchmarks.md)
        // layer 1, all teachers in one GEMM
        Sgemm.gemm(v.ones, false, hiddenBiases[0], false, v.activations[0], 1f, 0f);
        Sgemm.gemm(x, false, firstWeights, false, v.activations[0], 1f, 1f);
        Transforms.relu(v.activations[0], false);
        // later hidden layers: teacher t's block of layer l-1 -> its block of layer l
        for (int l = 1; l < hidden.length; l++) {
            Sgemm.gemm(v.ones, false, hiddenBiases[l], false, v.activations[l], 1f, 0f);
            for (int t = 0; t < teachers; t++) {
                Sgemm.gemm(v.blocks[l - 1][t], false, innerWeights[l][t], false, v.blocks[l][t], 1f, 1f);
            }
            Transforms.relu(v.activations[l], false);
        }
        // output: the mean over teachers in one GEMM, (1/T) * [H_1..H_T] [W_1; ..; W_T] + mean(b)
        Sgemm.gemm(v.ones, false, meanOutputBias, false, v.logits, 1f, 0f);
        Sgemm.gemm(v.activations[hidden.length - 1], false, outputWeights, false, v.logits, 1f / teachers, 1f);
        return v.logits;
    }

    private Views views(final int n) {
        if (n == maxBatch) {
            return full;
        }
        return recent.computeIfAbsent(n, Views::new);
    }

    /** [n x width] column-major matrices over the first n*width elements of the buffers. */
    private final class Views {
        final INDArray[] activations;
        /** Per hidden layer, per teacher: its [n x h] column block (contiguous in 'f' order). */
        final INDArray[][] blocks;
        final INDArray logits;
        final INDArray ones;

        Views(final int n) {
            this.activations = new INDArray[hidden.length];
            this.blocks = new INDArray[hidden.length][teachers];
            for (int l = 0; l < hidden.length; l++) {
                activations[l] = matrix(activationStore[l], n, (long) teachers * hidden[l]);
                for (int t = 0; t < teachers; t++) {
                    blocks[l][t] = activations[l].get(NDArrayIndex.all(), block(t, hidden[l]));
                }
            }
            this.logits = matrix(logitStore, n, classes);
            this.ones = matrix(EnsembleForward.this.ones, n, 1);
        }
    }

    private static INDArray matrix(final INDArray store, final long rows, final long cols) {
        return store.get(NDArrayIndex.interval(0, rows * cols)).reshape('f', rows, cols);
    }

    private static INDArrayIndex block(final int t, final int width) {
        return NDArrayIndex.interval((long) t * width, (long) (t + 1) * width);
    }

    private static INDArray param(final Map<String, INDArray> params, final String teacher, final String name) {
        final INDArray p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("teacher " + teacher + " has no parameter " + name
                    + " (parameters: " + params.keySet() + ")");
        }
        return p;
    }

    private static INDArray shaped(final INDArray p, final long rows, final long cols, final String name) {
        if (p.rank() != 2 || p.size(0) != rows || p.size(1) != cols) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(p.shape())
                    + ", expected [" + rows + ", " + cols + "]: teachers of different shapes cannot be fused");
        }
        return p;
    }

    /** A bias as a [1 x width] row (DL4J keeps them as vectors of that length). */
    private static INDArray bias(final INDArray p, final long width, final String name) {
        if (p.length() != width) {
            throw new IllegalArgumentException(name + " has " + p.length() + " values, expected " + width
                    + ": teachers of different shapes cannot be fused");
        }
        return p.reshape(1, width);
    }

    /** Hidden layers must be plain ReLU and the output identity (logits), as in Networks.teacherGroup. */
    private static void checkActivations(final ComputationGraph group, final int branch) {
        final String prefix = Networks.outputName(branch);
        for (int l = 0; group.getConfiguration().getVertices().containsKey(Networks.hiddenName(prefix, l)); l++) {
            final String layer = Networks.hiddenName(prefix, l);
            ReproducedLayers.requireDense(group.getLayer(layer).conf().getLayer(), "layer " + layer, false,
                    "Networks.teacherGroup");
        }
        if (!group.getConfiguration().getVertices().containsKey(prefix)) {
            throw new IllegalArgumentException("the teacher group has no layer " + prefix);
        }
        ReproducedLayers.requireDense(group.getLayer(prefix).conf().getLayer(), "output layer " + prefix, true,
                "Networks.teacherGroup");
    }
}
