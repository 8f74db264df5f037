package dev.kdstream.model.training;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Offline training: epochs over an in-memory set, reshuffled every epoch, in minibatches
 * (the last one smaller, like PyTorch's DataLoader with drop_last=False).
 */
public final class EpochLoop {

    private EpochLoop() {
    }

    /** One optimiser step on the rows at these indices. */
    @FunctionalInterface
    public interface IndexStep {
        void fit(int[] rows);
    }

    /**
     * Epochs of shuffled minibatches, as row indices (for steps on Java arrays).
     *
     * @param afterEpoch called with the number of epochs completed, e.g. for progress
     */
    public static void runIndices(final int n, final int epochs, final int batchSize, final long seed,
                                  final IndexStep step, final EpochListener afterEpoch) {
        final SplittableRandom rng = new SplittableRandom(seed);
        final int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, rng);
            for (int from = 0; from < n; from += batchSize) {
                step.fit(Arrays.copyOfRange(order, from, Math.min(n, from + batchSize)));
            }
            afterEpoch.epochDone(epoch);
        }
    }

    /** One optimiser step of several fused models, each on its own minibatch. */
    @FunctionalInterface
    public interface MultiStep {
        void fit(INDArray[] features, INDArray[] labels);
    }

    /**
     * Like {@link #runIndices}, on ND4J arrays, for {@code seeds.length} models trained together: each gets its own
     * shuffle every epoch (seeded by its own seed), all step in lockstep.
     */
    public static void runIndependentOrders(final INDArray features, final INDArray labels, final int epochs,
                                            final int batchSize, final long[] seeds, final MultiStep step,
                                            final EpochListener afterEpoch) {
        final int n = (int) features.size(0);
        final int models = seeds.length;
        final SplittableRandom[] rngs = new SplittableRandom[models];
        final int[][] orders = new int[models][n];
        for (int m = 0; m < models; m++) {
            rngs[m] = new SplittableRandom(seeds[m]);
            for (int i = 0; i < n; i++) {
                orders[m][i] = i;
            }
        }
        final INDArray[] xs = new INDArray[models];
        final INDArray[] ys = new INDArray[models];
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int m = 0; m < models; m++) {
                shuffle(orders[m], rngs[m]);
            }
            for (int from = 0; from < n; from += batchSize) {
                for (int m = 0; m < models; m++) {
                    final int[] batch = Arrays.copyOfRange(orders[m], from, Math.min(n, from + batchSize));
                    xs[m] = Nd4j.pullRows(features, 1, batch);
                    ys[m] = Nd4j.pullRows(labels, 1, batch);
                }
                step.fit(xs, ys);
            }
            afterEpoch.epochDone(epoch);
        }
    }

    /** Fisher-Yates. */
    static void shuffle(final int[] a, final SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @FunctionalInterface
    public interface EpochListener {
        EpochListener NONE = epoch -> { };

        void epochDone(int epochsCompleted);
    }
}
