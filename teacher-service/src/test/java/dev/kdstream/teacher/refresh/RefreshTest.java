package dev.kdstream.teacher.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.teacher.TinyEnsemble;

class RefreshTest {

    @Test
    void aCandidateTrainedOnTheNewConceptBeatsTheStaleEnsembleOnTheNewestRecords() {
        final TeacherEnsemble stale = TinyEnsemble.ensemble();
        final Refresh r = Refresh.of(stale, TinyEnsemble.swapped(1000), 1);
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
        assertThatThrownBy(() -> Refresh.of(TinyEnsemble.ensemble(), TinyEnsemble.swapped(Refresh.MIN_RECORDS - 1), 1))
                .hasMessageContaining("at least " + Refresh.MIN_RECORDS);
    }
}
