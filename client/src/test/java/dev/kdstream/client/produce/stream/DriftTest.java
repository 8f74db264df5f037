package dev.kdstream.client.produce.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.data.Dataset;

class DriftTest {

    /** Two features: means (2, 10), standard deviations (1, 2); two classes. */
    private static final Dataset DATA = new Dataset("test", new double[][] {{1, 8}, {3, 12}, {1, 12}, {3, 8}},
            new int[] {0, 1, 0, 1}, 2);

    private static FeatureMessage message() {
        return new FeatureMessage("p0-0", new double[] {4, 11}, 1, "train");
    }

    @Test
    void measuresTheTrainingData() {
        final Drift d = Drift.of(Drift.Kind.SHIFT, 5, DATA);
        assertThat(d.means()).containsExactly(2, 10);
        assertThat(d.stds()).containsExactly(1, 2);
    }

    @Test
    void leavesTheRecordsBeforeItAlone() {
        final FeatureMessage m = message();
        assertThat(Drift.of(Drift.Kind.ROTATE, 5, DATA).apply(4, m)).isSameAs(m);
    }

    @Test
    void swapsShiftsAndRotatesByHand() {
        assertThat(Drift.of(Drift.Kind.SWAP, 0, DATA).apply(0, message()).label()).isZero();
        assertThat(Drift.of(Drift.Kind.SHIFT, 0, DATA).apply(0, message()).features()).containsExactly(5, 13);
        // (4, 11) is (2, 1) from the means; turned by 90 degrees, (-1, 2): (1, 12)
        final FeatureMessage turned = Drift.of(Drift.Kind.ROTATE, 0, DATA).apply(0, message());
        assertThat(turned.features()).containsExactly(new double[] {1, 12}, within(1e-12));
        assertThat(turned.label()).isEqualTo(1);
        assertThat(message().features()).as("not changed in place").containsExactly(4, 11);
    }
}
