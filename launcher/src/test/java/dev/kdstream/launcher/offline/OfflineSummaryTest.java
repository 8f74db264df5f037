package dev.kdstream.launcher.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.eval.KnowledgeRecovered;
import dev.kdstream.model.eval.Stats;

class OfflineSummaryTest {

    private static final RunResult.Timings TIMINGS = new RunResult.Timings(1, 0.1, 0.5, 0.5, 1.6);

    private static OfflineSummary summary(final List<RunResult> runs) {
        return new OfflineSummary(runs, 46_658, 12, 3_490, "test data");
    }

    /** 200 test records, the first e right for the ensemble, the first d for the distilled, the first b for the baseline. */
    private static RunResult run(final long seed, final int e, final int d, final int b) {
        final int n = 200;
        final boolean[] ensemble = new boolean[n];
        final boolean[] distilled = new boolean[n];
        final boolean[] baseline = new boolean[n];
        for (int i = 0; i < n; i++) {
            ensemble[i] = i < e;
            distilled[i] = i < d;
            baseline[i] = i < b;
        }
        return new RunResult(seed, (double) e / n, (double) d / n, (double) b / n, 0.99, 0.01,
                new RunResult.Outcomes(ensemble, distilled, baseline), TIMINGS, RunResult.LearningCurve.NONE);
    }

    @Test
    void perSeedRecoveryLeavesOutSeedsWithoutAGap() {
        // seed 0: gap 2 records, gain 1 -> 50 %; seed 1: gap 4, gain 4 -> 100 %; seed 2: no gap; seed 3: a negative one
        final OfflineSummary s = summary(List.of(run(0, 195, 194, 193), run(1, 196, 196, 192),
                run(2, 194, 195, 194), run(3, 190, 190, 191)));
        final Stats perSeed = s.perSeedRecovery();
        assertThat(perSeed.n()).isEqualTo(2);
        assertThat(perSeed.mean()).isCloseTo(0.75, within(1e-9));

        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> runs = (List<Map<String, Object>>) s.toJson().get("runs");
        assertThat((Double) runs.get(0).get("recovery")).isCloseTo(0.5, within(1e-9));
        assertThat(runs.get(2).get("recovery")).as("undefined, written as null").isNull();
        assertThat(runs.get(3).get("recovery")).as("two negative gaps are not a recovery").isNull();
    }

    @Test
    void anEnsembleWorseThanTheBaselineRecoversNothingInsteadOfAHundredPerCent() {
        // the two negative gaps of the means would read 100 %
        final OfflineSummary s = summary(List.of(run(0, 190, 190, 191), run(1, 189, 189, 190)));
        assertThat(s.recovery().state()).isEqualTo(KnowledgeRecovered.State.NO_GAP);
        assertThat(s.toJson().get("recovery_of_means")).isNull();
        assertThat(printed(s)).contains("knowledge recovered (of the means) undefined: the ensemble does not beat "
                + "the baseline (-0.50 pt on 200 records)")
                .contains("knowledge recovered (per seed)     undefined: no seed's ensemble beats its baseline")
                .doesNotContain("NaN", "100.0 %");
    }

    @Test
    void theMeansRecoveryIsAveragedPerRecordOverSeeds() {
        // gaps of 10 and 20 records, gains of 5 and 15: (10 / 200) / (15 / 200) of the means
        final OfflineSummary s = summary(List.of(run(0, 190, 185, 180), run(1, 200, 195, 180)));
        final KnowledgeRecovered r = s.recovery();
        assertThat(r.records()).isEqualTo(200);
        assertThat(r.gap()).isCloseTo(0.075, within(1e-12));
        assertThat(r.share()).isCloseTo(10.0 / 15, within(1e-12));
        assertThat(r.state()).isEqualTo(KnowledgeRecovered.State.ESTIMATED);
        // per record x, y in {1, 0.5, 0}: bounds found by bisection on Fieller's inequality outside the code
        assertThat(r.lower()).isCloseTo(0.4854740284722494, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.8300923828614022, within(1e-9));
        assertThat(printed(s)).contains("knowledge recovered (of the means) 66.7 % (95 % interval ");
    }

    private static String printed(final OfflineSummary s) {
        final StringWriter text = new StringWriter();
        s.print(new PrintWriter(text, true));
        return text.toString();
    }
}
