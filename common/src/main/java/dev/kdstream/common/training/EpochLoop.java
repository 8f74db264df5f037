package dev.kdstream.common.training;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Offline training: epochs over an in-memory set, reshuffled every epoch, in minibatches
 * (the last one smaller, like PyTorch's DataLoader with drop_last=False).
 */
public final class EpochLoop {

    /** One optimiser step on a minibatch. */
    @FunctionalInterface
    public interface Step {
        void fit(INDArray features, INDArray labels);
    }

    private EpochLoop() {
    }

    /**
     * @param afterEpoch called with the number of epochs completed, e.g. for progress
     */
    public static void run(final INDArray features, final INDArray labels, final int epochs, final int batchSize,
                           final long seed, final Step step, final EpochListener afterEpoch) {
        final int n = (int) features.size(0);
        final SplittableRandom rng = new SplittableRandom(seed);
        final int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, rng);
            for (int from = 0; from < n; from += batchSize) {
                final int[] batch = Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
                // pullRows is one native gather; getRows costs ~0.8 ms per 64 rows here
                step.fit(Nd4j.pullRows(features, 1, batch), Nd4j.pullRows(labels, 1, batch));
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
