package dev.kdstream.launcher.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kdstream.dashboard.report.ChartSpec;

class OfflinePlotTest {

    private static final RunResult.Timings TIMINGS = new RunResult.Timings(1, 0.1, 0.5, 0.5, 1.6);
    private static final int N = 200;

    /** The first {@code right} of 200 test records right. */
    private static boolean[] firstRight(final int right) {
        final boolean[] c = new boolean[N];
        for (int i = 0; i < right; i++) {
            c[i] = true;
        }
        return c;
    }

    /** Ensemble right on 190; per epoch the distilled and baseline right on the given counts. */
    private static RunResult run(final long seed, final int[] distilled, final int[] baseline) {
        final List<RunResult.EpochScore> d = java.util.Arrays.stream(distilled)
                .mapToObj(r -> new RunResult.EpochScore(firstRight(r), 0.9)).toList();
        final List<RunResult.EpochScore> b = java.util.Arrays.stream(baseline)
                .mapToObj(r -> new RunResult.EpochScore(firstRight(r), 0.8)).toList();
        return new RunResult(seed, 190.0 / N, distilled[distilled.length - 1] / (double) N,
                baseline[baseline.length - 1] / (double) N, 0.9, 0.01,
                new RunResult.Outcomes(firstRight(190), firstRight(distilled[distilled.length - 1]),
                        firstRight(baseline[baseline.length - 1])),
                TIMINGS, new RunResult.LearningCurve(1_000, d, b));
    }

    @Test
    void curvesAreSeedMeansAfterEachEpochAgainstRecordsTrained() {
        final List<ChartSpec> charts = OfflinePlot.charts(List.of(
                run(0, new int[] {100, 180}, new int[] {120, 170}),
                run(1, new int[] {140, 186}, new int[] {120, 170})));
        final ChartSpec accuracy = charts.get(0);
        assertThat(accuracy.lines()).extracting(ChartSpec.Line::name).containsExactly("ensemble", "distilled", "baseline");
        assertThat(accuracy.lines().get(1).x()).containsExactly(1_000, 2_000);
        assertThat(accuracy.lines().get(0).y()).containsExactly(0.95, 0.95);
        assertThat(accuracy.lines().get(1).y()).containsExactly(0.6, 0.915);
        assertThat(accuracy.lines().get(2).y()).containsExactly(0.6, 0.85);
        final ChartSpec recovered = charts.get(1);
        // epoch 2: gap 0.95 - 0.85 = 0.10, gain 0.915 - 0.85 = 0.065: 65 %
        assertThat(recovered.lines().get(0).y()[1]).isCloseTo(0.65, within(1e-12));
        // epoch 1: the distilled equals the baseline, 0.6 - 0.6 = 0 of a 0.35 gap
        assertThat(recovered.lines().get(0).y()[0]).isCloseTo(0.0, within(1e-12));
        assertThat(recovered.lines().get(1).dashed()).isTrue();
        assertThat(recovered.range()).isNotNull();
        assertThat(charts.get(2).lines().get(0).y()).containsExactly(0.9, 0.9);
    }

    @Test
    void anEpochWhereTheEnsembleDoesNotBeatTheBaselineIsAGapNotAFigure() {
        final List<ChartSpec> charts = OfflinePlot.charts(List.of(run(0, new int[] {150, 185}, new int[] {190, 180})));
        final ChartSpec.Line recovered = charts.get(1).lines().get(0);
        assertThat(recovered.y()[0]).as("gap 0.95 - 0.95").isNaN();
        assertThat(recovered.y()[1]).isCloseTo(0.5, within(1e-12));
        assertThat(charts.get(1).lines().get(1).y()[0]).as("no interval either").isNaN();
    }
}
