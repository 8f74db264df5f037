package dev.kdstream.contracts.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {

    @Test
    void seedDefaultsShape() {
        final Dataset d = SyntheticDataset.generate(SyntheticSpec.seedDefaults());

        assertThat(d.size()).isEqualTo(5000);
        assertThat(d.width()).isEqualTo(20);
        assertThat(d.numClasses()).isEqualTo(2);
        assertThat(d.source()).isEqualTo("synthetic(samples=5000, features=20, seed=42)");
        assertThat(Arrays.stream(d.features()).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite)).isTrue();
    }

    @Test
    void seedDefaultsAreBalanced() {
        final int[] counts = counts(SyntheticDataset.generate(SyntheticSpec.seedDefaults()));

        // 2500 each before label noise; 1% flipped, half of those to the other class
        assertThat(counts[0]).isBetween(2425, 2575);
        assertThat(counts[0] + counts[1]).isEqualTo(5000);
    }

    @Test
    void withoutLabelNoiseClustersSplitSamplesEvenly() {
        final int[] counts = counts(SyntheticDataset.generate(new SyntheticSpec(1000, 6, 3, 0, 0, 3, 2, 1.0, 0.0, 5)));

        // 6 clusters of 167,167,167,167,166,166; cluster k has class k % 3
        assertThat(counts).containsExactly(334, 333, 333);
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        final SyntheticSpec spec = SyntheticSpec.seedDefaults();

        assertThat(SyntheticDataset.generate(spec)).isEqualTo(SyntheticDataset.generate(spec));
        assertThat(SyntheticDataset.generate(spec.withSeed(43))).isNotEqualTo(SyntheticDataset.generate(spec));
    }

    @Test
    void tenClassesBy64Features() {
        final Dataset d = SyntheticDataset.generate(new SyntheticSpec(3000, 64, 16, 16, 4, 10, 2, 1.0, 0.01, 7));

        assertThat(d.size()).isEqualTo(3000);
        assertThat(d.width()).isEqualTo(64);
        assertThat(d.numClasses()).isEqualTo(10);
        assertThat(Arrays.stream(counts(d)).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(270, 330));
    }

    @Test
    void wellSeparatedClassesAreLearnableByNearestCentroid() {
        final Dataset d = SyntheticDataset.generate(new SyntheticSpec(2000, 10, 5, 2, 0, 4, 1, 4.0, 0.0, 11));
        final TrainTestSplit.Split split = TrainTestSplit.split(d, 0.25, 3);

        assertThat(nearestCentroidAccuracy(split.train(), split.test())).isGreaterThan(0.95);
    }

    @Test
    void fullyFlippedLabelsAreNotLearnable() {
        final Dataset d = SyntheticDataset.generate(new SyntheticSpec(2000, 10, 5, 2, 0, 4, 1, 4.0, 1.0, 11));
        final TrainTestSplit.Split split = TrainTestSplit.split(d, 0.25, 3);

        // every label redrawn uniformly: chance level is 1/4
        assertThat(nearestCentroidAccuracy(split.train(), split.test())).isBetween(0.15, 0.35);
    }

    @Test
    void redundantColumnsAreLinearCombinationsOfInformativeOnes() {
        // 5 informative + 3 redundant and nothing else: the 8 columns span only 5 dimensions
        final Dataset redundant = SyntheticDataset.generate(new SyntheticSpec(500, 8, 5, 3, 0, 2, 2, 1.0, 0.0, 1));
        assertThat(rank(redundant.features())).isEqualTo(5);

        // the same with 3 noise columns instead: full rank
        final Dataset useless = SyntheticDataset.generate(new SyntheticSpec(500, 8, 5, 0, 0, 2, 2, 1.0, 0.0, 1));
        assertThat(rank(useless.features())).isEqualTo(8);
    }

    @Test
    void repeatedColumnsCopyEarlierOnes() {
        final Dataset d = SyntheticDataset.generate(new SyntheticSpec(200, 12, 4, 2, 3, 2, 1, 1.0, 0.0, 9));

        final Set<List<Double>> distinct = new HashSet<>();
        for (int c = 0; c < d.width(); c++) {
            distinct.add(Arrays.stream(column(d.features(), c)).boxed().toList());
        }
        assertThat(distinct).hasSize(12 - 3);
    }

    @Test
    void hypercubeVerticesAreDistinct() {
        final double[][] all = SyntheticDataset.hypercubeVertices(16, 4, new Random(1));
        assertThat(Arrays.stream(all).map(Arrays::toString).distinct().count()).isEqualTo(16);
        assertThat(Arrays.stream(all).flatMapToDouble(Arrays::stream).allMatch(v -> v == 0 || v == 1)).isTrue();

        // beyond 30 dimensions the low 30 bits alone keep them distinct
        final double[][] wide = SyntheticDataset.hypercubeVertices(50, 40, new Random(1));
        assertThat(Arrays.stream(wide).map(Arrays::toString).distinct().count()).isEqualTo(50);
        assertThat(wide[0]).hasSize(40);
    }

    @Test
    void clustersSitAtPlusMinusClassSep() {
        // one informative column, 2 clusters: the class means are near -3 and +3
        final Dataset d = SyntheticDataset.generate(new SyntheticSpec(4000, 1, 1, 0, 0, 2, 1, 3.0, 0.0, 2));
        final double[] sum = new double[2];
        final int[] counts = counts(d);
        for (int i = 0; i < d.size(); i++) {
            sum[d.labels()[i]] += d.features()[i][0];
        }
        assertThat(Math.abs(sum[0] / counts[0])).isCloseTo(3.0, offset(0.1));
        assertThat(sum[0] / counts[0]).isCloseTo(-sum[1] / counts[1], offset(0.2));
    }

    private static int[] counts(final Dataset d) {
        final int[] counts = new int[d.numClasses()];
        for (final int y : d.labels()) {
            counts[y]++;
        }
        return counts;
    }

    private static double nearestCentroidAccuracy(final Dataset train, final Dataset test) {
        final double[][] centroids = new double[train.numClasses()][train.width()];
        final int[] counts = counts(train);
        for (int i = 0; i < train.size(); i++) {
            for (int j = 0; j < train.width(); j++) {
                centroids[train.labels()[i]][j] += train.features()[i][j] / counts[train.labels()[i]];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            int best = 0;
            double bestDistance = Double.MAX_VALUE;
            for (int k = 0; k < centroids.length; k++) {
                double distance = 0;
                for (int j = 0; j < test.width(); j++) {
                    final double diff = test.features()[i][j] - centroids[k][j];
                    distance += diff * diff;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = k;
                }
            }
            correct += best == test.labels()[i] ? 1 : 0;
        }
        return (double) correct / test.size();
    }

    private static double[] column(final double[][] x, final int c) {
        return Arrays.stream(x).mapToDouble(row -> row[c]).toArray();
    }

    /** Rank of X by Gaussian elimination with full pivoting on X^T X, relative tolerance 1e-9. */
    private static int rank(final double[][] x) {
        final int w = x[0].length;
        final double[][] g = new double[w][w];
        for (final double[] row : x) {
            for (int a = 0; a < w; a++) {
                for (int b = 0; b < w; b++) {
                    g[a][b] += row[a] * row[b];
                }
            }
        }
        double largest = 0;
        for (int a = 0; a < w; a++) {
            largest = Math.max(largest, Math.abs(g[a][a]));
        }
        final boolean[] used = new boolean[w];
        int rank = 0;
        for (int step = 0; step < w; step++) {
            int pr = -1;
            int pc = -1;
            double pivot = 0;
            for (int r = 0; r < w; r++) {
                for (int c = 0; c < w; c++) {
                    if (!used[r] && Math.abs(g[r][c]) > Math.abs(pivot)) {
                        pivot = g[r][c];
                        pr = r;
                        pc = c;
                    }
                }
            }
            if (pr < 0 || Math.abs(pivot) <= 1e-9 * largest) {
                break;
            }
            used[pr] = true;
            rank++;
            for (int r = 0; r < w; r++) {
                if (!used[r]) {
                    final double f = g[r][pc] / pivot;
                    for (int c = 0; c < w; c++) {
                        g[r][c] -= f * g[pr][c];
                    }
                }
            }
        }
        return rank;
    }
}
