package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.kafka.HangingTransactionSweeper.CoordinatorView;
import dev.kdstream.contracts.kafka.HangingTransactionSweeper.OpenTransaction;

class HangingTransactionSweeperTest {

    private static final String APP = "kd-teacher";
    private static final Set<String> OUTPUTS = Set.of("soft-targets", "features-dlq");
    private static final TopicPartition SOFT_2 = new TopicPartition("soft-targets", 2);
    private static final TopicPartition OFFSETS_2 = new TopicPartition("__consumer_offsets", 2);
    private static final TopicPartition CHANGELOG_0 = new TopicPartition("kd-teacher-position-changelog", 0);

    /** What the chaos run found: the coordinator completed the abort, the partition never got its marker. */
    private static final OpenTransaction LEFT_OPEN = new OpenTransaction(SOFT_2, 4, 62, 2044, 0);
    private static final CoordinatorView MOVED_ON = new CoordinatorView("kd-teacher-34cc8aee-1",
            TransactionState.COMPLETE_COMMIT, 1125, Set.of());
    /** Its coordinator ended the transaction without bumping the epoch (transaction version 1). */
    private static final CoordinatorView SAME_EPOCH = new CoordinatorView("kd-teacher-34cc8aee-1",
            TransactionState.COMPLETE_ABORT, 62, Set.of());

    private static List<OpenTransaction> hanging(final OpenTransaction now, final Set<OpenTransaction> before,
                                                 final Map<Long, CoordinatorView> views) {
        return HangingTransactionSweeper.hanging(List.of(now), before, views, APP, OUTPUTS);
    }

    @Test
    void anOutputPartitionLeftOpenAfterItsCoordinatorMovedOnIsHanging() {
        assertThat(hanging(LEFT_OPEN, Set.of(LEFT_OPEN), Map.of(4L, MOVED_ON))).containsExactly(LEFT_OPEN);
        assertThat(hanging(LEFT_OPEN, Set.of(), Map.of(4L, MOVED_ON))).as("a later epoch: no second scan needed")
                .containsExactly(LEFT_OPEN);
    }

    @Test
    void atTheCoordinatorsOwnEpochItTakesASecondScan() {
        assertThat(hanging(LEFT_OPEN, Set.of(), Map.of(4L, SAME_EPOCH))).isEmpty();
        assertThat(hanging(LEFT_OPEN, Set.of(LEFT_OPEN), Map.of(4L, SAME_EPOCH))).containsExactly(LEFT_OPEN);
    }

    @Test
    void aNewTransactionAtTheCoordinatorsEpochIsLeftAlone() {
        // the coordinator was asked between two transactions; the next one then began on this partition
        final OpenTransaction next = new OpenTransaction(SOFT_2, 4, 1125, 2100, 0);
        assertThat(hanging(next, Set.of(), Map.of(4L, MOVED_ON))).isEmpty();
    }

    @Test
    void aProducerIdNoCoordinatorKnowsIsHangingOnAnOutputTopic() {
        assertThat(hanging(LEFT_OPEN, Set.of(LEFT_OPEN), Map.of())).containsExactly(LEFT_OPEN);
    }

    @Test
    void firstSeenWithoutAnEpochToCompareIsNotYetHanging() {
        assertThat(hanging(LEFT_OPEN, Set.of(), Map.of())).isEmpty();
        final OpenTransaction earlierStart = new OpenTransaction(SOFT_2, 4, 62, 2000, 0);
        assertThat(hanging(LEFT_OPEN, Set.of(earlierStart), Map.of(4L, SAME_EPOCH))).as("another transaction")
                .isEmpty();
    }

    @Test
    void aTransactionItsCoordinatorStillHoldsIsLeftAlone() {
        for (final TransactionState state : List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE)) {
            final CoordinatorView view = new CoordinatorView("kd-teacher-34cc8aee-1", state, 63, Set.of(SOFT_2));
            assertThat(hanging(LEFT_OPEN, Set.of(LEFT_OPEN), Map.of(4L, view))).as(state.toString()).isEmpty();
        }
    }

    @Test
    void anOngoingTransactionOnOtherPartitionsDoesNotCoverThisOne() {
        final CoordinatorView elsewhere = new CoordinatorView("kd-teacher-34cc8aee-1", TransactionState.ONGOING,
                62, Set.of(new TopicPartition("soft-targets", 0)));
        assertThat(hanging(LEFT_OPEN, Set.of(LEFT_OPEN), Map.of(4L, elsewhere))).containsExactly(LEFT_OPEN);
    }

    @Test
    void onSharedTopicsOnlyTheApplicationsOwnTransactionsAreAborted() {
        final OpenTransaction offsets = new OpenTransaction(OFFSETS_2, 4, 62, 900, 0);
        final OpenTransaction changelog = new OpenTransaction(CHANGELOG_0, 4, 62, 17, 0);
        final OpenTransaction someoneElses = new OpenTransaction(OFFSETS_2, 9, 3, 950, 0);
        final List<OpenTransaction> open = List.of(offsets, changelog, someoneElses);
        final Map<Long, CoordinatorView> views = Map.of(4L, MOVED_ON,
                9L, new CoordinatorView("other-app-1", TransactionState.COMPLETE_ABORT, 4, Set.of()));
        assertThat(HangingTransactionSweeper.hanging(open, Set.copyOf(open), views, APP, OUTPUTS))
                .containsExactly(offsets, changelog);
        assertThat(HangingTransactionSweeper.hanging(open, Set.copyOf(open), Map.of(), APP, OUTPUTS))
                .as("unknown producer ids on shared topics").isEmpty();
    }
}
