package dev.kdstream.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class AccuracyTest {

    @Test
    void accuracyAndAgreementFromLogits() {
        final var a = Nd4j.createFromArray(new float[][] {{2, 1}, {0, 3}, {5, -1}, {1, 1.5f}});
        final var b = Nd4j.createFromArray(new float[][] {{2, 1}, {3, 0}, {5, -1}, {0, 9}});
        assertThat(Accuracy.of(a, new int[] {0, 1, 1, 1})).isEqualTo(0.75);
        assertThat(Accuracy.agreement(a, b)).isEqualTo(0.75);
        assertThat(Accuracy.correct(a, new int[] {0, 1, 1, 1})).containsExactly(true, true, false, true);
    }

    @Test
    void statsUseTheSampleStandardDeviation() {
        final Stats s = Stats.of(new double[] {1, 2, 3, 4});
        assertThat(s.mean()).isEqualTo(2.5);
        assertThat(s.std()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(4);
        assertThat(Stats.of(new double[] {7}).std()).isZero();
    }
}
