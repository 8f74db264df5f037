package dev.kdstream.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StackSummaryTest {

    @Test
    void aFreshRunCountsWhatItProducedAndNothingElse() {
        assertThat(StackSummary.records(10_000, 0, new Pipeline.Counts(10_000, 10_000, 10_000), 0, 9))
                .isEqualTo("records: produced 10,000 (failed 0); this process annotated 10,000, trained 10,000, "
                        + "predicted 10,000; student v9");
        assertThat(StackSummary.latencyHeading(10_000, 10_000)).isEqualTo("event-to-prediction latency:");
    }

    @Test
    void afterARestartItSaysWhatTheTrainerResumedAndWhatAnEarlierRunLeft() {
        // the run of the restart, measured: 10,000 produced, 199 and 1,543 left by the killed run
        final String line = StackSummary.records(10_000, 0, new Pipeline.Counts(10_199, 10_000, 11_543), 40_591, 10);
        assertThat(line).startsWith("records: produced 10,000 (failed 0); this process annotated 10,199, trained "
                        + "10,000, predicted 11,543; student v10")
                .contains("the trainer resumed from a checkpoint of 40,591 records")
                .contains("1,543 more than this run produced: records an earlier run left in the topics");
        assertThat(StackSummary.latencyHeading(11_543, 10_000)).contains("11,543 predictions, 1,543 of records from "
                + "before this run");
    }

    @Test
    void theStatusLineSaysWhatAStageAtZeroIsWaitingOn() {
        assertThat(StackStatus.waitingOn(Map.of())).isEmpty();
        final Map<String, String> waiting = new LinkedHashMap<>();
        waiting.put("teacher", "rebalancing");
        waiting.put("trainer", "starting");
        assertThat(StackStatus.waitingOn(waiting)).isEqualTo(" waiting: teacher rebalancing, trainer starting |");
    }
}
