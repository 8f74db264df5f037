package dev.kdstream.model.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdwinTest {

    @Test
    void holdsEveryValueOfOneRegimeWithItsMean() {
        final Adwin adwin = new Adwin();
        for (int i = 1; i <= 1000; i++) {
            assertThat(adwin.update(i % 2)).isFalse();
        }
        assertThat(adwin.width()).isEqualTo(1000);
        assertThat(adwin.estimation()).isEqualTo(0.5);
        assertThat(adwin.seen()).isEqualTo(1000);
    }

    @Test
    void dropsTheOldRegimeAtTheFirstCheckAfterASharpChange() {
        final Adwin adwin = new Adwin();
        for (int i = 0; i < 1024; i++) {
            adwin.update(0);
        }
        int detectedAt = -1;
        for (int i = 0; i < 256 && detectedAt < 0; i++) {
            if (adwin.update(1)) {
                detectedAt = i;
            }
        }
        // cuts are checked every 32 values: the first check with enough ones on the new side
        assertThat(detectedAt).isBetween(0, 2 * Adwin.CLOCK);
        assertThat((detectedAt + 1) % Adwin.CLOCK).isZero();
        // what is left is (mostly) the new regime: at most the buckets straddling the change
        assertThat(adwin.estimation()).isGreaterThan(0.5);
        assertThat(adwin.width()).isLessThan(1024);
    }

    @Test
    void raisesAtMostOneFalseAlarmPerMillionStationaryErrorsAtItsDefaultDelta() {
        for (final double rate : new double[] {0.02, 0.1, 0.3, 0.5}) {
            for (long seed = 0; seed < 3; seed++) {
                assertThat(DriftStreams.falseAlarms(Adwin::new, rate, 1_000_000, seed))
                        .as("rate %s, seed %d", rate, seed).isLessThanOrEqualTo(1);
            }
        }
        // the paper's delta raises a cluster of them on one of these streams: why the default is smaller
        assertThat(DriftStreams.falseAlarms(() -> new Adwin(0.002), 0.1, 1_000_000, 2)).isGreaterThan(1);
    }

    @Test
    void findsAnAbruptRiseOfTheErrorRateWithinHundredsOfValues() {
        for (long seed = 0; seed < 5; seed++) {
            assertThat(DriftStreams.delay(Adwin::new, 0.1, 0.5, 20_000, seed)).as("0.1 -> 0.5").isBetween(0L, 128L);
            assertThat(DriftStreams.delay(Adwin::new, 0.05, 0.15, 20_000, seed)).as("0.05 -> 0.15")
                    .isBetween(0L, 1024L);
        }
    }

    @Test
    void followsTheNewMeanAfterAChange() {
        final Adwin adwin = new Adwin();
        final java.util.Random rng = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            adwin.update(rng.nextDouble() < (i < 10_000 ? 0.1 : 0.6) ? 1 : 0);
        }
        assertThat(adwin.estimation()).isCloseTo(0.6, within(0.03));
        // the new regime's 10,000 values and at most the buckets that straddled the change
        assertThat(adwin.width()).isBetween(5_000L, 10_000L + 2 * Adwin.CLOCK);
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThatThrownBy(() -> new Adwin(0)).hasMessageContaining("delta must be in (0, 1)");
        assertThatThrownBy(() -> new Adwin().update(Double.NaN)).hasMessageContaining("finite");
    }
}
