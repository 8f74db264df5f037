package dev.kdstream.teacher.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.teacher.TinyEnsemble;

class RefreshTest {

    /** The tiny data's concept with every label moved on by one class: the ensemble is stale on it. */
    private static Dataset swapped(final int n) {
        final Dataset d = TinyEnsemble.data();
        final double[][] x = new double[n][];
        final int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = d.features()[i % d.size()];
            y[i] = (d.labels()[i % d.size()] + 1) % d.numClasses();
        }
        return new Dataset("swapped", x, y, d.numClasses());
    }

    @Test
    void aCandidateTrainedOnTheNewConceptBeatsTheStaleEnsembleOnTheNewestRecords() {
        final TeacherEnsemble stale = TinyEnsemble.ensemble();
        final Refresh r = Refresh.of(stale, swapped(1000), 1);
        assertThat(r.trainRecords()).isEqualTo(800);
        assertThat(r.validationRecords()).isEqualTo(200);
        assertThat(r.currentAccuracy()).isLessThan(0.5);
        assertThat(r.candidateAccuracy()).isGreaterThan(r.currentAccuracy() + 0.2);
        assertThat(r.better()).isTrue();
        assertThat(r.candidate().manifest().versionId()).isEqualTo(stale.manifest().versionId() + "+1");
        assertThat(r.candidate().manifest().groupSizes()).as("one group: one training thread").hasSize(1);
        assertThat(r.candidate().manifest().teacherCount()).isEqualTo(stale.manifest().teacherCount());
    }

    @Test
    void aCandidateNoBetterThanTheCurrentEnsembleIsNotBetter() {
        final Refresh same = new Refresh(null, 0.9, 0.9, 800, 200, 1);
        assertThat(same.better()).isFalse();
    }

    @Test
    void tooFewRecordsAreRefused() {
        assertThatThrownBy(() -> Refresh.of(TinyEnsemble.ensemble(), swapped(Refresh.MIN_RECORDS - 1), 1))
                .hasMessageContaining("at least " + Refresh.MIN_RECORDS);
    }
}
