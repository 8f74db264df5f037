package dev.kdstream.model.eval;

import static dev.kdstream.model.eval.KnowledgeRecovered.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.eval.KnowledgeRecovered.State;

/**
 * Known numbers: the expected bounds were found outside this code, by bisection on Fieller's
 * inequality (my - R mx)^2 = z^2 (vyy - 2 R vxy + R^2 vxx) from the per-record differences.
 */
class KnowledgeRecoveredTest {

    /**
     * 1,000 records: ensemble right on 978, distilled on 972, baseline on 965 (the tutorial's
     * 97.8 / 97.2 / 96.5 %): 53.8 % of the gap, as the tutorial says, but on 1,000 records anything
     * from -29 % to 122 %.
     */
    private static long[] tutorial(final long scale) {
        final long[] counts = new long[8];
        counts[pattern(true, true, true)] = 955 * scale;
        counts[pattern(true, true, false)] = 12 * scale;
        counts[pattern(true, false, true)] = 6 * scale;
        counts[pattern(true, false, false)] = 5 * scale;
        counts[pattern(false, true, true)] = 3 * scale;
        counts[pattern(false, true, false)] = 2 * scale;
        counts[pattern(false, false, true)] = 1 * scale;
        counts[pattern(false, false, false)] = 16 * scale;
        return counts;
    }

    @Test
    void theTutorialsFiguresOnAThousandRecordsGiveAWideInterval() {
        final KnowledgeRecovered r = KnowledgeRecovered.of(tutorial(1));
        assertThat(r.state()).isEqualTo(State.ESTIMATED);
        assertThat(r.records()).isEqualTo(1000);
        assertThat(r.gap()).isCloseTo(0.013, within(1e-12));
        assertThat(r.share()).isCloseTo(7.0 / 13, within(1e-12));
        assertThat(r.lower()).isCloseTo(-0.29072382020393694, within(1e-9));
        assertThat(r.upper()).isCloseTo(1.2212453276489756, within(1e-9));
        assertThat(r.describe()).isEqualTo("53.8 % (95 % interval -29.1 to 122.1 %, 1,000 records)");
        assertThat(r.brief()).isEqualTo("54% [-29, 122]");
    }

    @Test
    void aHundredTimesTheRecordsNarrowTheIntervalAboutTenfold() {
        final KnowledgeRecovered r = KnowledgeRecovered.of(tutorial(100));
        assertThat(r.share()).isCloseTo(7.0 / 13, within(1e-12));
        assertThat(r.lower()).isCloseTo(0.48339892338577484, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.5927511447485423, within(1e-9));
    }

    @Test
    void anEnsembleThatDoesNotBeatTheBaselineLeavesNothingToRecover() {
        // 569 records, ensemble and distilled right on 544 (95.61 %), baseline on 546 (95.96 %):
        // the ratio of the two negative gaps would read 100 %
        final long[] counts = new long[8];
        counts[pattern(true, true, true)] = 540;
        counts[pattern(true, true, false)] = 4;
        counts[pattern(false, false, true)] = 6;
        counts[pattern(false, false, false)] = 19;
        final KnowledgeRecovered r = KnowledgeRecovered.of(counts);
        assertThat(r.state()).isEqualTo(State.NO_GAP);
        assertThat(r.share()).isNaN();
        assertThat(r.describe()).isEqualTo("undefined: the ensemble does not beat the baseline (-0.35 pt on 569 records)");
        assertThat(r.brief()).isEqualTo("undefined");

        final long[] tie = new long[8];
        tie[pattern(true, true, true)] = 10;
        assertThat(KnowledgeRecovered.of(tie).state()).isEqualTo(State.NO_GAP);
    }

    @Test
    void aLeadWithinNoiseGivesAnEstimateWithoutABound() {
        // the ensemble ahead by 2 records of 1,000, with 58 disagreements with the baseline
        final long[] counts = new long[8];
        counts[pattern(true, true, true)] = 900;
        counts[pattern(true, true, false)] = 20;
        counts[pattern(true, false, false)] = 10;
        counts[pattern(false, true, true)] = 15;
        counts[pattern(false, false, true)] = 13;
        counts[pattern(false, false, false)] = 42;
        final KnowledgeRecovered r = KnowledgeRecovered.of(counts);
        assertThat(r.state()).isEqualTo(State.GAP_WITHIN_NOISE);
        assertThat(r.share()).isCloseTo(3.5, within(1e-12));
        assertThat(r.lower()).isNaN();
        assertThat(r.describe()).isEqualTo("350.0 %, no bound: the ensemble's 0.20 pt lead is within noise on 1,000 records");
        assertThat(r.brief()).isEqualTo("350% (no bound)");
    }

    @Test
    void aHandfulOfRecordsGetsNoInterval() {
        final long[] counts = new long[8];
        counts[pattern(true, true, true)] = 20;
        counts[pattern(true, true, false)] = 3;
        counts[pattern(true, false, false)] = 1;
        final KnowledgeRecovered r = KnowledgeRecovered.of(counts);
        assertThat(r.state()).isEqualTo(State.FEW_RECORDS);
        assertThat(r.share()).isCloseTo(0.75, within(1e-12));
        assertThat(r.lower()).isNaN();
        assertThat(r.describe()).isEqualTo("75.0 %, no bound: 24 records are too few for an interval");
    }

    @Test
    void noRecordsSaySo() {
        final KnowledgeRecovered r = KnowledgeRecovered.of(new long[8]);
        assertThat(r).isEqualTo(KnowledgeRecovered.NONE);
        assertThat(r.describe()).isEqualTo("no labelled records yet");
        assertThat(r.brief()).isEqualTo("-");
    }

    @Test
    void everyPrintedFormIsFreeOfNanAndInfinity() {
        for (final long[] counts : new long[][] {new long[8], tutorial(1), {0, 0, 0, 0, 0, 0, 0, 1}, {1, 0, 0, 0, 0, 0, 0, 0},
                {0, 1, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 0, 0, 0}}) {
            final KnowledgeRecovered r = KnowledgeRecovered.of(counts);
            assertThat(r.describe()).doesNotContain("NaN", "Infinity");
            assertThat(r.brief()).doesNotContain("NaN", "Infinity");
        }
    }
}
