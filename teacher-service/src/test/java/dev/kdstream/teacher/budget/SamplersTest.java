package dev.kdstream.teacher.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.records.Selection;

class SamplersTest {

    @Test
    void aDrawIsAFunctionOfTheIdAndSpreadsSequentialIdsEvenly() {
        assertThat(UniformDraw.of("r-17")).isEqualTo(UniformDraw.of("r-17"));
        final int n = 100_000;
        final int[] deciles = new int[10];
        for (int i = 0; i < n; i++) {
            final double d = UniformDraw.of("r-" + i);
            assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
            deciles[(int) (d * 10)]++;
        }
        // 10,000 expected per decile, sd ~95: 5 sd
        for (final int c : deciles) {
            assertThat(c).isBetween(9_525, 10_475);
        }
    }

    @Test
    void theMarginOfKnownProbabilities() {
        assertThat(Uncertainty.margin(new double[] {1, 0})).isEqualTo(0.0);
        assertThat(Uncertainty.margin(new double[] {0.5, 0.5})).isEqualTo(1.0);
        assertThat(Uncertainty.margin(new double[] {0.1, 0.6, 0.3})).isCloseTo(0.7, within(1e-12));
        assertThat(Uncertainty.margin(new double[] {0.2, 0.2, 0.6})).isCloseTo(0.6, within(1e-12));
        assertThatThrownBy(() -> Uncertainty.margin(new double[] {1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theQuantileOfTheRecentValuesByNearestRank() {
        final RecentQuantile q = new RecentQuantile(4, 1);
        assertThat(q.quantile(0.5)).isNaN();
        for (final double v : new double[] {5, 1, 4, 2}) {
            q.add(v);
        }
        assertThat(q.quantile(0.5)).isEqualTo(2);
        assertThat(q.quantile(0.75)).isEqualTo(4);
        assertThat(q.quantile(1.0)).isEqualTo(5);
        assertThat(q.quantile(0.0)).isEqualTo(1);
        // the oldest (5) goes
        q.add(3);
        assertThat(q.quantile(1.0)).isEqualTo(4);
        assertThat(q.size()).isEqualTo(4);
    }

    @Test
    void betweenTwoSortsTheQuantileIsTheLastSortsNeverAnUnwrittenSlot() {
        final RecentQuantile q = new RecentQuantile(100, 10);
        for (int i = 1; i <= 15; i++) {
            q.add(i);
        }
        // sorted at 1..10 values, then at 10 + 10 = 20: the last sort held 1..10, not 15 values
        assertThat(q.quantile(1.0)).isEqualTo(10);
        assertThat(q.quantile(0.9)).isEqualTo(9);
    }

    @Test
    void uniformChoosesTheBudgetsShare() {
        final Sampler s = new UniformSampler(0.1);
        int chosen = 0;
        for (int i = 0; i < 100_000; i++) {
            chosen += s.choose("r-" + i, null) == Selection.UNIFORM ? 1 : 0;
        }
        assertThat(chosen / 100_000.0).isCloseTo(0.1, within(0.005));
    }

    @Test
    void uncertaintyMeetsItsBudgetAndBuysTheMostUncertain() {
        final UncertaintySampler s = new UncertaintySampler(0.1, 0.2);
        final Random rng = new Random(3);
        int uniform = 0;
        int uncertain = 0;
        double uncertainSum = 0;
        double allSum = 0;
        final int n = 100_000;
        for (int i = 0; i < n; i++) {
            // a confident student: the first probability mostly near 1
            final double p = 1 - Math.pow(rng.nextDouble(), 4) / 2;
            final double u = Uncertainty.margin(new double[] {p, 1 - p});
            allSum += u;
            final Selection chosen = s.choose("r-" + i, new double[] {p, 1 - p});
            if (chosen == Selection.UNIFORM) {
                uniform++;
            } else if (chosen == Selection.UNCERTAIN) {
                uncertain++;
                uncertainSum += u;
            }
        }
        assertThat((uniform + uncertain) / (double) n).as("realised budget").isCloseTo(0.1, within(0.005));
        assertThat(uniform / (double) n).as("the uniform share, plus the first records' draws")
                .isCloseTo(0.02, within(0.003));
        assertThat(uncertainSum / uncertain).as("mean uncertainty bought").isGreaterThan(3 * allSum / n);
    }

    @Test
    void withoutAStudentUncertaintyDrawsUniformlyAtTheWholeBudget() {
        final UncertaintySampler s = new UncertaintySampler(0.1, 0.2);
        int chosen = 0;
        for (int i = 0; i < 100_000; i++) {
            final Selection c = s.choose("r-" + i, null);
            assertThat(c).isNotEqualTo(Selection.UNCERTAIN);
            chosen += c == null ? 0 : 1;
        }
        assertThat(chosen / 100_000.0).isCloseTo(0.1, within(0.005));
    }

    @Test
    void adaptiveHalvesOnAgreementAndDoublesOnDisagreementWithinFloorAndOne() {
        final AdaptiveSampler s = new AdaptiveSampler(0.4, 0.05, 0.97);
        agree(s, AdaptiveSampler.WINDOW, AdaptiveSampler.WINDOW);
        assertThat(s.budget()).isEqualTo(0.2);
        agree(s, AdaptiveSampler.WINDOW, AdaptiveSampler.WINDOW);
        agree(s, AdaptiveSampler.WINDOW, AdaptiveSampler.WINDOW);
        assertThat(s.budget()).as("the floor").isEqualTo(0.05);
        // 96 % agreement, under the target
        agree(s, AdaptiveSampler.WINDOW, 192);
        assertThat(s.budget()).isEqualTo(0.1);
        for (int i = 0; i < 5; i++) {
            agree(s, AdaptiveSampler.WINDOW, 0);
        }
        assertThat(s.budget()).as("never above 1").isEqualTo(1.0);
        // 97 % exactly is enough
        agree(s, AdaptiveSampler.WINDOW, 194);
        assertThat(s.budget()).isEqualTo(0.5);
    }

    private static void agree(final Sampler s, final int records, final int agreeing) {
        for (int i = 0; i < records; i++) {
            s.agreed(i < agreeing);
        }
    }

    @Test
    void aBudgetOutOfRangeOrAnUnknownSamplerIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> TeacherBudget.of(env("KD_TEACHER_BUDGET", "0")))
                .hasMessageContaining("teacher.budget (KD_TEACHER_BUDGET) must be in");
        assertThatThrownBy(() -> TeacherBudget.of(env("KD_TEACHER_BUDGET", "1.5")))
                .hasMessageContaining("teacher.budget");
        assertThatThrownBy(() -> TeacherBudget.of(env("KD_TEACHER_BUDGET", "ten")))
                .hasMessageContaining("must be a number, got 'ten'");
        assertThatThrownBy(() -> TeacherBudget.of(env("KD_TEACHER_SAMPLER", "entropy"))).hasMessageContaining("must be uniform, uncertainty or adaptive, got 'entropy'");
        assertThatThrownBy(() -> new TeacherBudget("adaptive", 0.1, 0.2, 0.2, 0.97))
                .hasMessageContaining("teacher.budget.floor");
        assertThat(TeacherBudget.of(KdConfig.defaults()).everything()).isTrue();
        assertThat(new TeacherBudget("adaptive", 1.0, 0.2, 0.05, 0.97).everything()).as("it moves").isFalse();
    }

    private static KdConfig env(final String name, final String value) {
        return KdConfig.load(null, Map.of(name, value), Map.of());
    }
}
