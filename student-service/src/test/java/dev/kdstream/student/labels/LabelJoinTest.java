package dev.kdstream.student.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kdstream.student.labels.LabelJoin.Outcome;

class LabelJoinTest {

    private static final long WINDOW = 1_000;

    private final LabelJoin<String> join = new LabelJoin<>(WINDOW);
    private final List<String> unlabelled = new ArrayList<>();
    private final List<String> unknown = new ArrayList<>();
    private final LabelJoin.Expiry<String> expiry = new LabelJoin.Expiry<>() {
        @Override
        public void unlabelled(final String record) {
            unlabelled.add(record);
        }

        @Override
        public void unknown(final String id, final int label, final long ts, final long offset) {
            unknown.add(id + "=" + label + "@" + offset);
        }
    };

    private Integer record(final String id, final long offset, final long ts) {
        join.advance(ts, expiry);
        return join.record(id, offset, ts, "payload-" + id);
    }

    private LabelJoin.Result<String> label(final String id, final int label, final long offset, final long ts) {
        join.advance(ts, expiry);
        return join.label(id, label, offset, ts);
    }

    @Test
    void aLateLabelWithinTheWindowJoinsItsWaitingRecord() {
        assertThat(record("a", 0, 100)).isNull();
        assertThat(join.waiting()).isEqualTo(1);
        final LabelJoin.Result<String> r = label("a", 2, 1, 1_100);
        assertThat(r.outcome()).isEqualTo(Outcome.JOINED);
        assertThat(r.record()).isEqualTo("payload-a");
        assertThat(join.waiting()).isZero();
        assertThat(unlabelled).isEmpty();
    }

    @Test
    void aLabelAfterItsRecordsWindowClosedIsExpiredAndTheRecordWasToldUnlabelled() {
        record("a", 0, 100);
        record("b", 1, 1_101);
        assertThat(unlabelled).as("the stream time passed 100 + window").containsExactly("payload-a");
        assertThat(label("a", 1, 2, 1_102).outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void aSecondLabelIsADuplicate() {
        record("a", 0, 100);
        assertThat(label("a", 1, 1, 200).outcome()).isEqualTo(Outcome.JOINED);
        assertThat(label("a", 1, 2, 300).outcome()).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void aLabelBeforeItsRecordIsHeldAndGivenToTheRecordWhenItComes() {
        assertThat(label("a", 2, 0, 100).outcome()).isEqualTo(Outcome.EARLY);
        assertThat(join.early()).isEqualTo(1);
        assertThat(label("a", 1, 1, 100).outcome()).as("a second one while the first is held").isEqualTo(Outcome.DUPLICATE);
        assertThat(record("a", 2, 90)).isEqualTo(2);
        assertThat(join.waiting()).isZero();
        assertThat(join.early()).isZero();
        assertThat(label("a", 0, 3, 150).outcome()).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void aLabelWhoseRecordNeverComesIsUnknownWhenItsOwnWindowCloses() {
        label("ghost", 1, 0, 100);
        record("b", 1, 1_100);
        assertThat(unknown).as("not yet: the stream time is at 100 + window").isEmpty();
        record("c", 2, 1_101);
        assertThat(unknown).containsExactly("ghost=1@0");
        assertThat(join.early()).isZero();
    }

    @Test
    void aRecordThatCameWithItsLabelTakesNoHeldLabelButReportsItAsADuplicate() {
        label("a", 1, 0, 100);
        final LabelJoin.Held<Integer> held = join.labelled("a");
        assertThat(held.value()).isEqualTo(1);
        assertThat(held.offset()).isZero();
        assertThat(join.labelled("b")).isNull();
    }

    @Test
    void theOldestHeldOffsetFollowsWhatIsStillHeldAndReadingFromItRebuildsTheSameOutcomes() {
        assertThat(join.oldestHeld(0)).isZero();
        record("a", 0, 100);
        record("b", 1, 200);
        label("a", 1, 2, 300);
        assertThat(join.oldestHeld(3)).as("a is remembered as joined, for its duplicates").isZero();
        record("c", 3, 1_350);
        assertThat(unlabelled).as("b's window closed at 200 + window").containsExactly("payload-b");
        assertThat(join.oldestHeld(4)).as("a's memory ended at 300 + window; b is remembered as closed")
                .isEqualTo(1);
        record("d", 4, 1_400);

        // a restarted trainer reads the partition again from the oldest offset held
        final LabelJoin<String> rebuilt = new LabelJoin<>(WINDOW);
        final List<String> again = new ArrayList<>();
        final LabelJoin.Expiry<String> quiet = new LabelJoin.Expiry<>() {
            @Override
            public void unlabelled(final String record) {
                again.add(record);
            }

            @Override
            public void unknown(final String id, final int label, final long ts, final long offset) {
                again.add(id);
            }
        };
        rebuilt.advance(200, quiet);
        rebuilt.record("b", 1, 200, "payload-b");
        rebuilt.advance(300, quiet);
        rebuilt.label("a", 1, 2, 300);
        rebuilt.advance(1_350, quiet);
        rebuilt.record("c", 3, 1_350, "payload-c");
        rebuilt.advance(1_400, quiet);
        rebuilt.record("d", 4, 1_400, "payload-d");
        // a's label, read again without its record, closes as unknown at the moment a's memory ended
        // the first time: both before the checkpoint's offset (5), where the trainer acts on nothing
        assertThat(again).containsExactly("payload-b", "a");
        assertThat(rebuilt.label("b", 0, 5, 1_410).outcome()).isEqualTo(Outcome.EXPIRED)
                .isEqualTo(join.label("b", 0, 5, 1_410).outcome());
        assertThat(rebuilt.label("c", 0, 6, 1_410).outcome()).isEqualTo(Outcome.JOINED)
                .isEqualTo(join.label("c", 0, 6, 1_410).outcome());
        assertThat(rebuilt.waiting()).isEqualTo(join.waiting()).isEqualTo(1);
    }

    @Test
    void aWindowBelowOneMillisecondIsRefused() {
        assertThatThrownBy(() -> new LabelJoin<String>(0)).hasMessageContaining("label window");
    }
}
