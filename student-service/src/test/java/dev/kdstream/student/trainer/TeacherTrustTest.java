package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.eval.KnowledgeRecovered;
import dev.kdstream.student.metrics.Accuracies;
import dev.kdstream.student.metrics.Evaluation;

class TeacherTrustTest {

    private static Accuracies window(final long records, final double teacher, final double baseline) {
        return new Accuracies(records, teacher, 0.9, baseline, KnowledgeRecovered.of(new long[8]));
    }

    @Test
    void trustsATeacherAsGoodAsTheLabelsAndNotOneFivePointsWorse() {
        assertThat(TeacherTrust.of(window(1000, 0.97, 0.95), 0)).isEqualTo(1);
        assertThat(TeacherTrust.of(window(1000, 0.955, 0.96), 0)).as("within the window's noise").isEqualTo(1);
        assertThat(TeacherTrust.of(window(1000, 0.93, 0.96), 1)).isCloseTo(0.5, within(1e-12));
        assertThat(TeacherTrust.of(window(1000, 0.39, 0.955), 1)).as("the stale teacher of issue 17").isZero();
    }

    @Test
    void keepsItsTrustWhileTheWindowIsTooSmallToJudge() {
        assertThat(TeacherTrust.of(window(TeacherTrust.MIN_RECORDS - 1, 0.1, 0.9), 0.7)).isEqualTo(0.7);
        assertThat(TeacherTrust.of(window(0, Double.NaN, Double.NaN), 1)).isEqualTo(1);
    }

    @Test
    void aDetectedRiseOfTheTeachersErrorsWithdrawsTheTrustForAWindow() {
        final TeacherTrust trust = new TeacherTrust(1000);
        final Accuracies fine = window(1000, 0.97, 0.95);
        assertThat(trust.update(evaluation(fine, 5000))).isEqualTo(1);
        trust.teacherDrifted(5000);
        // the window still holds the records before the change: it is not asked until a window later
        assertThat(trust.update(evaluation(fine, 5999))).isZero();
        assertThat(trust.update(evaluation(fine, 6000))).isEqualTo(1);
        assertThat(trust.trust()).isEqualTo(1);
    }

    private static Evaluation evaluation(final Accuracies window, final long records) {
        return new Evaluation(window, window, window, Double.NaN, Double.NaN, records, 0);
    }
}
