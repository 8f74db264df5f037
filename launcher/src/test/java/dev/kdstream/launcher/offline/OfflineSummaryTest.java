package dev.kdstream.launcher.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.eval.Stats;

class OfflineSummaryTest {

    private static final RunResult.Timings TIMINGS = new RunResult.Timings(1, 0.1, 0.5, 0.5, 1.6);

    private static OfflineSummary summary(final List<RunResult> runs) {
        return new OfflineSummary(runs, 46_658, 12, 3_490, "test data");
    }

    @Test
    void perSeedRecoveryLeavesOutSeedsWhoseGapIsZero() {
        // seed 0: gap 1.0 pt, gain 0.5 pt -> 50 %; seed 1: gap 2 pt, gain 2 pt -> 100 %; seed 2: no gap
        final OfflineSummary s = summary(List.of(
                new RunResult(0, 0.975, 0.970, 0.965, 0.99, 0.01, TIMINGS),
                new RunResult(1, 0.980, 0.980, 0.960, 0.99, 0.01, TIMINGS),
                new RunResult(2, 0.970, 0.975, 0.970, 0.99, 0.01, TIMINGS)));
        final Stats perSeed = s.perSeedRecovery();
        assertThat(perSeed.n()).isEqualTo(2);
        assertThat(perSeed.mean()).isCloseTo(0.75, within(1e-9));

        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> runs = (List<Map<String, Object>>) s.toJson().get("runs");
        assertThat((Double) runs.get(0).get("recovery")).isCloseTo(0.5, within(1e-9));
        assertThat(runs.get(2).get("recovery")).as("undefined, written as null").isNull();
    }
}
