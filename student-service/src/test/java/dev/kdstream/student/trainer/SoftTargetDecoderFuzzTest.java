package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.SoftTargetRecord;

/**
 * Coverage-guided fuzzing of the trainer's soft-target decoder. The invariant: every input is either
 * a record the students can train on (finite in float, soft targets a probability distribution, a
 * label in range, a known split, an ensemble version) or an {@link InvalidRecordException} with a
 * reason; anything else is a finding. Seeds: {@code SoftTargetDecoderFuzzTestInputs}, binary records
 * (what the teacher writes) and JSON ones (what earlier versions wrote).
 */
class SoftTargetDecoderFuzzTest {

    private static final int WIDTH = 3;
    private static final int CLASSES = 2;

    private final SoftTargetDecoder decoder = new SoftTargetDecoder(WIDTH, CLASSES);

    @FuzzTest(maxDuration = "15s")
    void softTargets(final byte[] value) {
        final SoftTargetRecord r;
        try {
            r = decoder.decode(value);
        } catch (InvalidRecordException refused) {
            assertThat(refused.reason()).isNotNull();
            return;
        }
        assertThat(r.features()).hasSize(WIDTH);
        for (final double x : r.features()) {
            assertThat(Float.isFinite((float) x)).isTrue();
        }
        if (!r.annotated()) {
            // passed on by a teacher budget: its label is all it teaches, and it is never a holdout record
            assertThat(r.label()).isNotNull();
            assertThat(r.holdout()).isFalse();
            assertThat(r.softTargets()).isNull();
        } else {
            double sum = 0;
            for (final double p : r.softTargets()) {
                assertThat(p).isBetween(0.0, 1.0);
                sum += p;
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(SoftTargetDecoder.SIMPLEX_TOLERANCE));
            assertThat(r.teacherLogits()).hasSize(CLASSES);
        }
        if (r.label() != null) {
            assertThat(r.label()).isBetween(0, CLASSES - 1);
        }
        assertThat(r.split()).isIn(FeatureRecord.TRAIN, FeatureRecord.HOLDOUT);
        assertThat(r.ensembleVersion()).isNotBlank();
    }
}
