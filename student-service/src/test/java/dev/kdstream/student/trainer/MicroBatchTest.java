package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MicroBatchTest {

    @Test
    void buildsSoftAndOneHotLabelRowsAndEmptiesOnClear() {
        final MicroBatch batch = new MicroBatch(2, 2, true);
        batch.add(new float[] {1, 2}, new double[] {0.25, 0.75}, 1);
        assertThat(batch.full()).isFalse();
        batch.add(new float[] {3, 4}, new double[] {0.5, 0.5}, -1);
        assertThat(batch.full()).isTrue();
        assertThat(batch.features().toFloatMatrix()).isDeepEqualTo(new float[][] {{1, 2}, {3, 4}});
        // [soft | one-hot]; an unlabelled row has an all-zero one-hot half
        assertThat(batch.labels().toFloatMatrix()).isDeepEqualTo(new float[][] {{0.25f, 0.75f, 0, 1},
            {0.5f, 0.5f, 0, 0}});
        batch.clear();
        assertThat(batch.isEmpty()).isTrue();
    }

    @Test
    void aHardLabelBatchLeavesTheSoftHalfZeroAndCanBePartial() {
        final MicroBatch batch = new MicroBatch(4, 3, false);
        batch.add(new float[] {1}, null, 2);
        assertThat(batch.size()).isEqualTo(1);
        assertThat(batch.labels().toFloatMatrix()).isDeepEqualTo(new float[][] {{0, 0, 0, 0, 0, 1}});
    }
}
