package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.definition.LabelMatrix;

class MicroBatchTest {

    @Test
    void holdsRowsSoftTargetsAndLabelsAndEmptiesOnClear() {
        final MicroBatch batch = new MicroBatch(2, 2, true);
        batch.add(new float[] {1, 2}, new double[] {0.25, 0.75}, 1);
        assertThat(batch.full()).isFalse();
        batch.add(new float[] {3, 4}, new double[] {0.5, 0.5}, LabelMatrix.UNLABELLED);
        assertThat(batch.full()).isTrue();
        assertThat(batch.featureRows()).isDeepEqualTo(new float[][] {{1, 2}, {3, 4}});
        assertThat(batch.softTargetRows()).isDeepEqualTo(new float[][] {{0.25f, 0.75f}, {0.5f, 0.5f}});
        assertThat(batch.labelArray()).containsExactly(1, LabelMatrix.UNLABELLED);
        batch.clear();
        assertThat(batch.isEmpty()).isTrue();
    }

    @Test
    void aHardLabelBatchHasNoSoftTargetsAndCanBePartial() {
        final MicroBatch batch = new MicroBatch(4, 3, false);
        batch.add(new float[] {1}, null, 2);
        assertThat(batch.size()).isEqualTo(1);
        assertThat(batch.softTargetRows()).isNull();
        assertThat(batch.labelArray()).containsExactly(2);
    }
}
