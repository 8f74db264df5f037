package dev.kdstream.contracts.data;

import java.util.Arrays;
import java.util.Random;

/**
 * A shuffled train/test split sized like scikit-learn's {@code train_test_split}: the test part
 * has {@code ceil(n * testFraction)} rows and the train part the rest.
 */
public final class TrainTestSplit {

    /** The seed tutorial's split: 20 % held out, shuffled with seed 42. */
    public static final double SEED_TEST_FRACTION = 0.2;
    public static final long SEED_SPLIT_SEED = 42L;

    /**
     * The seed experiment's data, every command's default: {@link SyntheticSpec#seedDefaults()}
     * (5,000 x 20) split 80/20 with seed 42.
     */
    public static Split seedDefault() {
        return seedSplit(SyntheticDataset.generate(SyntheticSpec.seedDefaults()));
    }

    /** Any dataset split the seed's way. */
    public static Split seedSplit(final Dataset data) {
        return split(data, SEED_TEST_FRACTION, SEED_SPLIT_SEED);
    }

    /** The two parts; both keep the original class count, so they agree on C. */
    public record Split(Dataset train, Dataset test) {
    }

    private TrainTestSplit() {
    }

    public static Split split(final Dataset d, final double testFraction, final long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        final int n = d.size();
        final int testSize = (int) Math.ceil(n * testFraction);
        if (testSize < 1 || n - testSize < 1) {
            throw new IllegalArgumentException("With " + n + " samples and testFraction " + testFraction
                    + ", the " + (testSize < 1 ? "test" : "train") + " set would be empty");
        }
        final int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        final Random rng = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        // Test first, then train, as scikit-learn's ShuffleSplit takes them from the permutation.
        final Dataset test = d.rows(Arrays.copyOfRange(order, 0, testSize));
        final Dataset train = d.rows(Arrays.copyOfRange(order, testSize, n));
        return new Split(rename(train, d.source() + " [train]"), rename(test, d.source() + " [test]"));
    }

    private static Dataset rename(final Dataset d, final String source) {
        return new Dataset(source, d.features(), d.labels(), d.numClasses());
    }
}
