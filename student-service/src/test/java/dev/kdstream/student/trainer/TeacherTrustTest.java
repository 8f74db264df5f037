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
        trust.teacherDrifted(evaluation(fine, 5000));
        // the window still holds the records before the change: it is not asked until a window later
        assertThat(trust.update(evaluation(fine, 5999))).isZero();
        assertThat(trust.update(evaluation(fine, 6000))).isEqualTo(1);
        assertThat(trust.trust()).isEqualTo(1);
    }

    @Test
    void whenTheBaselineLearnsFasterAfterADetectionTheDistilledStudentFallsBackToItOnce() {
        final TeacherTrust trust = new TeacherTrust(1000);
        // 5,000 records before the detection, the distilled student ahead
        trust.teacherDrifted(cumulative(5000, 4900, 4800));
        trust.update(cumulative(5000 + TeacherTrust.MIN_RECORDS - 1, 4900, 4900));
        assertThat(trust.takeFallBack()).as("too few records since to judge").isNull();
        // since the detection: the baseline 120 of 200 right, the distilled student 100
        trust.update(cumulative(5000 + TeacherTrust.MIN_RECORDS, 5000, 4920));
        assertThat(trust.takeFallBack()).isEqualTo(new TeacherTrust.FallBack(200, 120, 100));
        assertThat(trust.takeFallBack()).as("once").isNull();
        trust.update(cumulative(5400, 5000, 5200));
        assertThat(trust.takeFallBack()).as("once per detection").isNull();
    }

    @Test
    void aLeadWithinTheNoiseOrLongAfterTheDetectionIsNoReasonToFallBack() {
        final TeacherTrust close = new TeacherTrust(1000);
        close.teacherDrifted(cumulative(5000, 4900, 4800));
        // 2 records of 200 is within a point
        close.update(cumulative(5200, 5000, 4902));
        assertThat(close.takeFallBack()).isNull();
        // the trust was off (no update) for two windows after the detection, then turned on
        final TeacherTrust late = new TeacherTrust(1000);
        late.teacherDrifted(cumulative(5000, 4900, 4800));
        late.update(cumulative(7000, 5900, 6800));
        assertThat(late.takeFallBack()).isNull();
    }

    @Test
    void aDetectionNeverJudgedIsReplacedByOneAWindowLater() {
        final TeacherTrust trust = new TeacherTrust(1000);
        // the trust off: detected, never updated
        trust.teacherDrifted(cumulative(5000, 4900, 4800));
        trust.teacherDrifted(cumulative(8000, 7000, 7000));
        trust.update(cumulative(8200, 7100, 7150));
        assertThat(trust.takeFallBack()).isEqualTo(new TeacherTrust.FallBack(200, 150, 100));
    }

    @Test
    void aSecondDetectionDoesNotPutTheJudgementOff() {
        final TeacherTrust trust = new TeacherTrust(1000);
        trust.teacherDrifted(cumulative(5000, 4900, 4800));
        trust.teacherDrifted(cumulative(5150, 4950, 4900));
        trust.update(cumulative(5200, 5000, 4920));
        assertThat(trust.takeFallBack()).isEqualTo(new TeacherTrust.FallBack(200, 120, 100));
    }

    @Test
    void aDistilledStudentStillAheadAfterADetectionKeepsItsWeights() {
        final TeacherTrust trust = new TeacherTrust(1000);
        trust.teacherDrifted(cumulative(5000, 4900, 4800));
        // a shift: the teacher's knowledge still helps, the distilled student right as often as the baseline
        trust.update(cumulative(5000 + TeacherTrust.MIN_RECORDS, 5090, 4990));
        assertThat(trust.takeFallBack()).isNull();
    }

    /** An evaluation of {@code records} prequential records, of which the two students got so many right. */
    private static Evaluation cumulative(final long records, final long distilledRight, final long baselineRight) {
        final Accuracies all = new Accuracies(records, 0.5, (double) distilledRight / records,
                (double) baselineRight / records, KnowledgeRecovered.of(new long[8]));
        final Accuracies staleWindow = window(1000, 0.1, 0.9);
        return new Evaluation(staleWindow, all, staleWindow, Double.NaN, Double.NaN, records, 0);
    }

    private static Evaluation evaluation(final Accuracies window, final long records) {
        return new Evaluation(window, window, window, Double.NaN, Double.NaN, records, 0);
    }
}
