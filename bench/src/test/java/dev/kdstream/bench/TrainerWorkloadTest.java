package dev.kdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The trainer benchmark's workload builds and one poll runs the trainer's whole per-poll path. */
class TrainerWorkloadTest {

    @Test
    void onePollDecodesPredictsEvaluatesAndFits() {
        final TrainerWorkload w = TrainerWorkload.create(600, 64, 0.2);
        assertThat(w.size()).isEqualTo(600);

        w.poll(500, 200); // wraps around the end of the list

        assertThat(w.records()).isEqualTo(200);
        // 200 records, ~20 % holdout: ~160 trained, two full distilled batches at least
        assertThat(w.trained()).isBetween(120L, 190L);
        assertThat(w.steps()).isGreaterThanOrEqualTo(2 * (w.trained() / 64));
        assertThat(w.decodeNanos()).isPositive();
        assertThat(w.predictNanos()).isPositive();
        assertThat(w.fitNanos()).isPositive();
        assertThat(w.evaluation().prequentialRecords()).isEqualTo(w.trained());
        assertThat(w.evaluation().holdoutRecords()).isEqualTo(200 - w.trained());

        w.reset();
        assertThat(w.records()).isZero();
        assertThat(w.steps()).isZero();
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Median.of(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(Median.of(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void thePytorchScriptIsInTheJar() {
        assertThat(TeacherVsPytorchBenchCommand.class.getResource(TeacherVsPytorchBenchCommand.SCRIPT)).isNotNull();
    }
}
