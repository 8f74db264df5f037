package dev.kdstream.contracts.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainTestSplitTest {

    private static final Dataset SEED = SyntheticDataset.generate(SyntheticSpec.seedDefaults());

    @Test
    void tutorialSizes() {
        final TrainTestSplit.Split split = TrainTestSplit.split(SEED, 0.2, 42);

        assertThat(split.train().size()).isEqualTo(4000);
        assertThat(split.test().size()).isEqualTo(1000);
        assertThat(split.train().numClasses()).isEqualTo(2);
        assertThat(split.test().numClasses()).isEqualTo(2);
        assertThat(split.train().source()).isEqualTo(SEED.source() + " [train]");
        assertThat(split.test().source()).isEqualTo(SEED.source() + " [test]");
    }

    @Test
    void everyRowLandsInExactlyOnePart() {
        final TrainTestSplit.Split split = TrainTestSplit.split(SEED, 0.2, 42);

        final Set<double[]> rows = Collections.newSetFromMap(new IdentityHashMap<>());
        Collections.addAll(rows, split.train().features());
        Collections.addAll(rows, split.test().features());
        assertThat(rows).hasSize(5000);
        for (final double[] row : SEED.features()) {
            assertThat(rows).contains(row);
        }
    }

    @Test
    void labelsStayWithTheirRows() {
        final double[][] x = {{0}, {1}, {2}, {3}, {4}, {5}};
        final Dataset d = new Dataset("d", x, new int[] {0, 1, 2, 0, 1, 2}, 3);
        final TrainTestSplit.Split split = TrainTestSplit.split(d, 0.5, 1);

        for (final Dataset part : new Dataset[] {split.train(), split.test()}) {
            for (int i = 0; i < part.size(); i++) {
                assertThat(part.labels()[i]).isEqualTo((int) part.features()[i][0] % 3);
            }
        }
    }

    @Test
    void shuffledDeterministicallyBySeed() {
        assertThat(TrainTestSplit.split(SEED, 0.2, 1)).isEqualTo(TrainTestSplit.split(SEED, 0.2, 1));
        assertThat(TrainTestSplit.split(SEED, 0.2, 1).test()).isNotEqualTo(TrainTestSplit.split(SEED, 0.2, 2).test());
        // not just the last rows
        assertThat(TrainTestSplit.split(SEED, 0.2, 1).test().features()[0]).isNotSameAs(SEED.features()[4000]);
    }

    @Test
    void testSizeRoundsUpLikeScikitLearn() {
        final Dataset ten = SEED.rows(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

        assertThat(TrainTestSplit.split(ten, 0.25, 0).test().size()).isEqualTo(3);
        assertThat(TrainTestSplit.split(ten, 0.25, 0).train().size()).isEqualTo(7);
        assertThat(TrainTestSplit.split(ten, 0.01, 0).test().size()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
    void fractionMustBeInOpenUnitInterval(final double fraction) {
        assertThatThrownBy(() -> TrainTestSplit.split(SEED, fraction, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("testFraction must be in (0, 1), got " + fraction);
    }

    @Test
    void bothPartsMustBeNonEmpty() {
        final Dataset ten = SEED.rows(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

        assertThatThrownBy(() -> TrainTestSplit.split(ten, 0.95, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("With 10 samples and testFraction 0.95, the train set would be empty");
        assertThatThrownBy(() -> TrainTestSplit.split(SEED.rows(new int[] {0}), 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("With 1 samples and testFraction 0.5, the train set would be empty");
    }
}
