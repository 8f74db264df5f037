package dev.kdstream.student.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.SoftTargetRecord;

class DriftWatchTest {

    private final List<String> counted = new ArrayList<>();

    private static SoftTargetRecord record(final int i, final Integer label) {
        return new SoftTargetRecord("r" + i, 1000 + i, new double[] {0}, label, "train", new double[] {1, 0},
                new double[] {0.6, 0.4}, 2, "ens-1");
    }

    @Test
    void reportsTheStudentsErrorsRisingAndNotTheTeachersWhichStayRight() {
        final DriftWatch watch = new DriftWatch("student", DriftWatch.ADWIN, counted::add);
        for (int i = 0; i < 4000; i++) {
            // the teacher says 0 and is right; the student is right until record 2000, then wrong
            watch.observe(record(i, 0), 0, i < 2000 ? 0 : 1, 0);
        }
        final List<DriftEvent> events = watch.pending();
        assertThat(events).isNotEmpty().allMatch(e -> e.signal().equals(DriftEvent.STUDENT_ERROR));
        final DriftEvent first = events.get(0);
        assertThat(Integer.parseInt(first.recordId().substring(1))).isBetween(2000, 2000 + 64);
        assertThat(first.before()).isLessThan(0.1);
        assertThat(first.after()).as("what it holds after the cut").isGreaterThan(first.before() + 0.1);
        assertThat(first.detector()).isEqualTo("adwin");
        assertThat(first.trainerId()).isEqualTo("student");
        assertThat(first.ensembleVersion()).isEqualTo("ens-1");
        assertThat(counted).hasSize(events.size()).containsOnly(DriftEvent.STUDENT_ERROR);

        watch.published(1);
        assertThat(watch.pending()).hasSize(events.size() - 1);
    }

    @Test
    void reportsTheTeacherGoingStaleAndDisagreementWhereThereAreNoLabels() {
        final DriftWatch watch = new DriftWatch("student", DriftWatch.PAGE_HINKLEY, counted::add);
        for (int i = 0; i < 4000; i++) {
            final boolean stale = i >= 2000;
            // labelled: the teacher wrong after the change; unlabelled: the student stops agreeing with it
            watch.observe(record(i, 1), stale ? 0 : 1, 1, 1);
            watch.observe(record(i, null), 0, stale ? 1 : 0, 0);
        }
        assertThat(watch.pending()).extracting(DriftEvent::signal)
                .contains(DriftEvent.TEACHER_ERROR, DriftEvent.DISAGREEMENT)
                .doesNotContain(DriftEvent.STUDENT_ERROR);
    }

    @Test
    void aFallingErrorRateIsNoDriftAndHoldoutRecordsAreNotWatched() {
        final DriftWatch watch = new DriftWatch("student", DriftWatch.ADWIN, counted::add);
        for (int i = 0; i < 4000; i++) {
            // a student learning: wrong until record 2000, right after
            watch.observe(record(i, 0), 0, i < 2000 ? 1 : 0, 0);
            // holdout records whose errors jump: not watched
            watch.observe(new SoftTargetRecord("h" + i, 0, new double[] {0}, 0, "holdout", new double[] {1, 0},
                    new double[] {0.6, 0.4}, 2, "ens-1"), i < 2000 ? 0 : 1, i < 2000 ? 0 : 1, 0);
        }
        assertThat(watch.pending()).isEmpty();
        assertThat(counted).isEmpty();
    }

    @Test
    void refusesAnUnknownDetectorNamingTheKey() {
        assertThatThrownBy(() -> new DriftWatch("s", "cusum", counted::add))
                .hasMessageContaining("drift.detector (KD_DRIFT_DETECTOR) must be adwin or page-hinkley, got 'cusum'");
    }
}
