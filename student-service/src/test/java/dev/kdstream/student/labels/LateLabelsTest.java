package dev.kdstream.student.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.kafka.DeadLetters;
import dev.kdstream.contracts.records.StudentCheckpoint.JoinPosition;

class LateLabelsTest {

    private static final long WINDOW = 1_000;
    private final List<String> learnt = new ArrayList<>();

    private static LateLabels<String> restarted(final Map<Integer, Long> offsets,
                                                final Map<Integer, JoinPosition> positions) {
        return withWindow(WINDOW, offsets, positions);
    }

    private static LateLabels<String> withWindow(final long window, final Map<Integer, Long> offsets,
                                                 final Map<Integer, JoinPosition> positions) {
        return new LateLabels<>(window, "t", "soft-targets", "labels-dlq", offsets, positions,
                new SimpleMeterRegistry());
    }

    @Test
    void untilAPartitionIsPastItsCheckpointItsCheckpointsKeepTheRestoredOffsetAndPosition() {
        final LateLabels<String> labels = restarted(Map.of(0, 10L, 1, 20L),
                Map.of(0, new JoinPosition(5, 100), 1, new JoinPosition(12, 200)));
        // partition 0 read again up to and past its checkpoint; partition 1 not read at all yet
        for (long o = 5; o < 12; o++) {
            final boolean live = labels.read(0, o, 100 + o, 100 + o);
            assertThat(live).as("offset %d", o).isEqualTo(o >= 10);
            labels.record("r" + o, o, 100 + o, "p" + o);
        }
        final Map<Integer, Long> offsets = labels.checkpointOffsets(Map.of(0, 12L, 1, 12L));
        assertThat(offsets).containsEntry(0, 12L).as("not read yet: its checkpoint's").containsEntry(1, 20L);
        final Map<Integer, JoinPosition> positions = labels.snapshot(offsets).positions();
        assertThat(positions.get(1)).isEqualTo(new JoinPosition(12, 200));
        assertThat(positions.get(0).from()).as("the records waiting since offset 5").isEqualTo(5);
    }

    @Test
    void aLabelDecidedBeforeTheCheckpointFromWhatTheReplayNoLongerHoldsIsNotDeadLetteredAgain() {
        final LateLabels<String> first = restarted(Map.of(), Map.of());
        first.read(0, 0, 1_000, 1_000);
        first.record("r0", 0, 1_000, "p0");
        first.read(0, 1, 2_500, 2_500);
        first.record("rX", 1, 2_500, "pX");
        // r0's window closed at 2,000: its label is too late, and dead-lettered as such
        first.read(0, 2, 2_600, 2_600);
        first.label("r0", 1, 2, 2_600, (r, l) -> learnt.add(r));
        // r0's memory ends at 3,000: the join holds rX and rY only
        first.read(0, 3, 3_100, 3_100);
        first.record("rY", 3, 3_100, "pY");
        final LateLabels.Snapshot checkpoint = first.snapshot(Map.of(0, 4L));
        assertThat(checkpoint.deadLetters()).hasSize(1);
        assertThat(checkpoint.positions().get(0).from()).isEqualTo(1);

        // a restart reads again from rX: r0's label, without r0's memory, must not wait as if early
        final LateLabels<String> second = restarted(Map.of(0, 4L), checkpoint.positions());
        for (final long o : new long[] {1, 2, 3}) {
            assertThat(second.read(0, o, o == 1 ? 2_500 : o == 2 ? 2_600 : 3_100, 0)).isFalse();
            if (o == 2) {
                second.label("r0", 1, 2, 2_600, (r, l) -> learnt.add(r));
            } else {
                second.record(o == 1 ? "rX" : "rY", o, o == 1 ? 2_500 : 3_100, "p");
            }
        }
        assertThat(second.read(0, 4, 3_700, 3_700)).isTrue();
        second.record("rZ", 4, 3_700, "pZ");
        assertThat(second.snapshot(Map.of(0, 5L)).deadLetters()).as("nothing more for r0's label").isEmpty();
    }

    @Test
    void aLabelAlreadyPastItsWindowIsDeadLetteredAtOnceNotAtTheNextItem() {
        final LateLabels<String> labels = restarted(Map.of(), Map.of());
        labels.read(0, 0, 5_000, 5_000);
        labels.record("r0", 0, 5_000, "p0");
        // a label for an id never seen, stamped long before the stream time
        labels.read(0, 1, 1_000, 5_001);
        labels.label("ghost", 1, 1, 1_000, (r, l) -> learnt.add(r));
        final LateLabels.Snapshot s = labels.snapshot(Map.of(0, 2L));
        assertThat(s.deadLetters()).hasSize(1);
        assertThat(DeadLetters.header(s.deadLetters().get(0).headers(), DeadLetters.REASON)).isEqualTo("unknown_id");
    }

    @Test
    void aTimestampFarAheadOfItsKafkaTimestampDoesNotCloseEveryWindow() {
        final LateLabels<String> labels = withWindow(60_000, Map.of(), Map.of());
        labels.read(0, 0, 1_000, 1_000);
        labels.record("r0", 0, 1_000, "p0");
        // microseconds instead of milliseconds
        labels.read(0, 1, 1_000_000_000L, 1_001);
        labels.record("r1", 1, 1_000_000_000L, "p1");
        labels.read(0, 2, 1_500, 1_500);
        labels.label("r0", 1, 2, 1_500, (r, l) -> learnt.add(r));
        assertThat(learnt).containsExactly("p0");
    }
}
