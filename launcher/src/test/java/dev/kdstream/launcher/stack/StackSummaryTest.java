package dev.kdstream.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StackSummaryTest {

    @Test
    void aFreshRunCountsWhatItProducedAndNothingElse() {
        assertThat(StackSummary.records(10_000, 0, new Pipeline.Counts(10_000, 10_000, 10_000, 10_000), Backlog.NONE,
                0, 9))
                .isEqualTo("records: produced 10,000 (failed 0); in this process the teacher took 10,000, the "
                        + "trainer 10,000, the server 10,000; student v9");
        assertThat(StackSummary.latencyHeading(10_000, Backlog.NONE)).isEqualTo("event-to-prediction latency:");
    }

    @Test
    void afterARestartItSaysWhatTheTrainerResumedAndWhatAnEarlierRunLeft() {
        // a restart after a kill -9, measured: 10,000 produced, 268 and 1,620 left by the killed run
        final Backlog left = new Backlog(160_000, 268, 1_620);
        final String line = StackSummary.records(10_000, 0, new Pipeline.Counts(10_268, 10_268, 12_781, 11_620), left,
                119_417, 26);
        assertThat(line).startsWith("records: produced 10,000 (failed 0); in this process the teacher took 10,268, the "
                        + "trainer 12,781, the server 11,620; student v26")
                .contains("features held 160,000 records from earlier runs: 268 of them not yet annotated and 1,620 "
                        + "not yet answered")
                .contains("the trainer resumed from a checkpoint of 119,417 records")
                .doesNotContain("twice");
        assertThat(StackSummary.records(10_000, 0, new Pipeline.Counts(10_268, 10_268, 12_781, 11_650), left,
                119_417, 26))
                .contains("30 records answered twice");
        assertThat(StackSummary.latencyHeading(11_620, left)).contains("11,620 predictions, 1,620 of records from "
                + "before this run");
    }

    @Test
    void theBacklogIsWhatFeaturesHoldsPastEachGroupsPosition() {
        final org.apache.kafka.common.TopicPartition p0 = new org.apache.kafka.common.TopicPartition("features", 0);
        final org.apache.kafka.common.TopicPartition p1 = new org.apache.kafka.common.TopicPartition("features", 1);
        // p1's first 100 records deleted by retention; the server never read p1 (no position: from the start)
        final Backlog b = Backlog.of(Map.of(p0, 0L, p1, 100L), Map.of(p0, 5_000L, p1, 3_100L),
                Map.of(p0, 4_900L, p1, 3_000L), Map.of(p0, 5_000L));
        assertThat(b).isEqualTo(new Backlog(8_000, 200, 3_000));
        assertThat(Backlog.of(Map.of(p0, 0L), Map.of(p0, 0L), Map.of(), Map.of())).isEqualTo(Backlog.NONE);
    }

    @Test
    void theStatusLineSaysWhatAStageAtZeroIsWaitingOn() {
        assertThat(StackStatus.waitingOn(Map.of())).isEmpty();
        final Map<String, String> waiting = new LinkedHashMap<>();
        waiting.put("teacher", "rebalancing");
        waiting.put("trainer", "starting");
        assertThat(StackStatus.waitingOn(waiting)).isEqualTo(" waiting: teacher rebalancing, trainer starting |");
    }

    @Test
    void theBudgetLineSaysWhatWasBoughtAndSavedAndNothingAtFullBudget() {
        assertThat(StackSummary.budget(Map.of("uniform", 200_000L, "holdout", 50_000L))).isEmpty();
        assertThat(StackSummary.budget(Map.of("uniform", 4_000L, "uncertain", 16_000L, "holdout", 50_000L,
                "label_only", 170_000L, "left_out", 10_000L)))
                .isEqualTo("teacher budget: annotated 20,000 of 200,000 training records (10.0 %: 4,000 drawn "
                        + "uniformly, 16,000 the student was unsure of) + 50,000 holdout; 170,000 passed on with "
                        + "their label alone, 10,000 left out: 180,000 ensemble calls saved");
    }
}
