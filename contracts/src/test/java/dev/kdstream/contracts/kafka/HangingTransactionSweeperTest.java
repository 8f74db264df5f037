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

    private static List<OpenTransaction> hanging(final OpenTransaction now, final Map<Long, CoordinatorView> views) {
        return HangingTransactionSweeper.hanging(List.of(now), views, APP, OUTPUTS);
    }

    private static CoordinatorView view(final TransactionState state, final int epoch, final TopicPartition... held) {
        return new CoordinatorView("kd-teacher-34cc8aee-1", state, epoch, Set.of(held));
    }

    @Test
    void aTimedOutTransactionWhoseAbortMarkerWasDroppedIsAborted() {
        // what a killed single-node broker leaves: the coordinator aborted it at epoch + 1, no marker here
        assertThat(hanging(LEFT_OPEN, Map.of(4L, view(TransactionState.COMPLETE_ABORT, 63))))
                .containsExactly(LEFT_OPEN);
        assertThat(hanging(LEFT_OPEN, Map.of(4L, view(TransactionState.COMPLETE_ABORT, 62))))
                .as("transaction version 1: the abort keeps the epoch").containsExactly(LEFT_OPEN);
    }

    @Test
    void aCommitWhoseMarkerWasDroppedIsNeverAborted() {
        // its offsets may be committed on __consumer_offsets: an abort here would lose its records
        assertThat(hanging(LEFT_OPEN, Map.of(4L, view(TransactionState.COMPLETE_COMMIT, 63)))).isEmpty();
    }

    @Test
    void anOutcomeThatCanNoLongerBeReadIsNeverAborted() {
        assertThat(hanging(LEFT_OPEN, Map.of(4L, view(TransactionState.COMPLETE_ABORT, 70))))
                .as("the producer has moved on since").isEmpty();
        assertThat(hanging(LEFT_OPEN, Map.of(4L, view(TransactionState.EMPTY, 64)))).isEmpty();
        assertThat(hanging(LEFT_OPEN, Map.of())).as("a producer id no coordinator knows").isEmpty();
    }

    @Test
    void aTransactionItsCoordinatorStillHoldsIsLeftAlone() {
        for (final TransactionState state : List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE)) {
            assertThat(hanging(LEFT_OPEN, Map.of(4L, view(state, 63, SOFT_2)))).as(state.toString()).isEmpty();
        }
    }

    @Test
    void onSharedTopicsOnlyTheApplicationsOwnTransactionsAreAborted() {
        final OpenTransaction offsets = new OpenTransaction(OFFSETS_2, 4, 62, 900, 0);
        final OpenTransaction changelog = new OpenTransaction(CHANGELOG_0, 4, 62, 17, 0);
        final OpenTransaction someoneElses = new OpenTransaction(OFFSETS_2, 9, 3, 950, 0);
        final Map<Long, CoordinatorView> views = Map.of(4L, view(TransactionState.COMPLETE_ABORT, 63),
                9L, new CoordinatorView("other-app-1", TransactionState.COMPLETE_ABORT, 4, Set.of()));
        assertThat(HangingTransactionSweeper.hanging(List.of(offsets, changelog, someoneElses), views, APP, OUTPUTS))
                .containsExactly(offsets, changelog);
    }
}
