package dev.kdstream.contracts.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Generates a classification problem the way scikit-learn's {@code make_classification} does
 * (shift 0, scale 1, hypercube, shuffled, balanced): Gaussian clusters on the vertices of a
 * hypercube in the informative subspace, each stretched by its own random linear map, plus
 * redundant, repeated and noise columns, label noise, and shuffled rows and columns.
 *
 * <p>The construction and its statistics match scikit-learn; the numbers do not, since the random
 * streams differ. Deterministic for a given spec, on any JVM.
 */
public final class SyntheticDataset {

    /** Above this many dimensions scikit-learn fills the extra vertex bits freely, and so do we. */
    private static final int DISTINCT_VERTEX_BITS = 30;

    private SyntheticDataset() {
    }

    public static Dataset generate(final SyntheticSpec spec) {
        // java.util.Random, not SplittableRandom: its algorithms (nextGaussian included) are fixed
        // by its specification, so a seed gives the same data on every JDK.
        final Random rng = new Random(spec.seed());
        final int n = spec.samples();
        final int informative = spec.informative();
        final int redundant = spec.redundant();
        final int clusters = spec.clusters();
        final double[][] x = new double[n][spec.features()];
        final int[] y = new int[n];

        final double[][] centroids = hypercubeVertices(clusters, informative, rng);
        for (final double[] centroid : centroids) {
            for (int j = 0; j < informative; j++) {
                centroid[j] = centroid[j] * 2 * spec.classSep() - spec.classSep();
            }
        }

        for (final double[] row : x) {
            for (int j = 0; j < informative; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        // Samples are split evenly over clusters, the remainder one each to the first clusters.
        final double[] mixed = new double[informative];
        int start = 0;
        for (int k = 0; k < clusters; k++) {
            final int stop = start + n / clusters + (k < n % clusters ? 1 : 0);
            final double[][] a = uniformMatrix(informative, informative, rng);
            for (int i = start; i < stop; i++) {
                y[i] = k % spec.classes();
                multiply(x[i], a, informative, mixed);
                for (int j = 0; j < informative; j++) {
                    x[i][j] = mixed[j] + centroids[k][j];
                }
            }
            start = stop;
        }

        if (redundant > 0) {
            final double[][] b = uniformMatrix(informative, redundant, rng);
            final double[] combined = new double[redundant];
            for (final double[] row : x) {
                multiply(row, b, informative, combined);
                System.arraycopy(combined, 0, row, informative, redundant);
            }
        }

        final int signal = informative + redundant;
        final int[] sources = new int[spec.repeated()];
        for (int r = 0; r < sources.length; r++) {
            sources[r] = (int) ((signal - 1) * rng.nextDouble() + 0.5);
        }
        for (final double[] row : x) {
            for (int r = 0; r < sources.length; r++) {
                row[signal + r] = row[sources[r]];
            }
        }

        final int firstUseless = spec.features() - spec.useless();
        for (final double[] row : x) {
            for (int j = firstUseless; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }

        // Draw the whole mask first, then the new labels, as scikit-learn does. A flipped label
        // may land on its own class, so the effective noise is flipY * (C-1)/C.
        final boolean[] flip = new boolean[n];
        for (int i = 0; i < n; i++) {
            flip[i] = rng.nextDouble() < spec.flipY();
        }
        for (int i = 0; i < n; i++) {
            if (flip[i]) {
                y[i] = rng.nextInt(spec.classes());
            }
        }

        final int[] rowOrder = permutation(n, rng);
        final int[] columnOrder = permutation(spec.features(), rng);
        final double[][] features = new double[n][];
        final int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            final double[] source = x[rowOrder[i]];
            final double[] row = new double[source.length];
            for (int j = 0; j < row.length; j++) {
                row[j] = source[columnOrder[j]];
            }
            features[i] = row;
            labels[i] = y[rowOrder[i]];
        }
        return new Dataset("synthetic(samples=" + n + ", features=" + spec.features() + ", seed=" + spec.seed() + ")",
                features, labels, spec.classes());
    }

    /** {@code count} distinct random vertices of the unit hypercube {0,1}^dimensions, in random order. */
    static double[][] hypercubeVertices(final int count, final int dimensions, final Random rng) {
        final int bits = Math.min(dimensions, DISTINCT_VERTEX_BITS);
        final int[] codes = sampleWithoutReplacement(1 << bits, count, rng);
        final double[][] vertices = new double[count][dimensions];
        for (int k = 0; k < count; k++) {
            for (int j = 0; j < dimensions; j++) {
                vertices[k][j] = j < bits ? (codes[k] >>> j) & 1 : (rng.nextBoolean() ? 1 : 0);
            }
        }
        return vertices;
    }

    /** Floyd's algorithm, then a shuffle: O(count) however large the range. */
    private static int[] sampleWithoutReplacement(final int range, final int count, final Random rng) {
        final Set<Integer> chosen = new HashSet<>();
        final int[] out = new int[count];
        int k = 0;
        for (int j = range - count; j < range; j++) {
            final int t = rng.nextInt(j + 1);
            out[k++] = chosen.add(t) ? t : add(chosen, j);
        }
        shuffle(out, rng);
        return out;
    }

    private static int add(final Set<Integer> set, final int value) {
        set.add(value);
        return value;
    }

    private static double[][] uniformMatrix(final int rows, final int columns, final Random rng) {
        final double[][] m = new double[rows][columns];
        for (final double[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = 2 * rng.nextDouble() - 1;
            }
        }
        return m;
    }

    /** {@code out = v[0..length) * m}, a row vector times a matrix. */
    private static void multiply(final double[] v, final double[][] m, final int length, final double[] out) {
        Arrays.fill(out, 0.0);
        for (int j = 0; j < length; j++) {
            final double vj = v[j];
            final double[] mj = m[j];
            for (int c = 0; c < out.length; c++) {
                out[c] += vj * mj[c];
            }
        }
    }

    private static int[] permutation(final int n, final Random rng) {
        final int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, rng);
        return p;
    }

    private static void shuffle(final int[] a, final Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
