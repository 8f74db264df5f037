package dev.kdstream.model.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageHinkleyTest {

    @Test
    void detectsByHandOnAKnownStream() {
        // delta 0, lambda 2, no fading: 30 zeros keep m = M = 0; then each 1 adds 1 - mean:
        // n = 31: m = 1 - 1/31 = 0.968; n = 32: m += 1 - 2/32 -> 1.905; n = 33: m += 1 - 3/33 -> 2.814 > 2
        final PageHinkley ph = new PageHinkley(0, 2, 1);
        for (int i = 0; i < 30; i++) {
            assertThat(ph.update(0)).isFalse();
        }
        assertThat(ph.update(1)).isFalse();
        assertThat(ph.update(1)).isFalse();
        assertThat(ph.update(1)).isTrue();
        assertThat(ph.estimation()).as("forgotten after a change").isNaN();
        assertThat(ph.seen()).isEqualTo(33);
    }

    @Test
    void reportsNothingBeforeItsMinimumOfValues() {
        final PageHinkley ph = new PageHinkley(0, 0.5, 1);
        for (int i = 1; i < PageHinkley.MIN_VALUES; i++) {
            assertThat(ph.update(i % 2 == 0 ? 0 : 1)).isFalse();
        }
    }

    @Test
    void itsDefaultsRaiseNoFalseAlarmInAMillionStationaryErrors() {
        for (final double rate : new double[] {0.02, 0.1, 0.3, 0.5}) {
            for (long seed = 0; seed < 2; seed++) {
                assertThat(DriftStreams.falseAlarms(PageHinkley::forErrors, rate, 1_000_000, seed))
                        .as("rate %s, seed %d", rate, seed).isZero();
            }
        }
    }

    @Test
    void riversDefaultsDoRaiseThemWhichIsWhyTheseDiffer() {
        assertThat(DriftStreams.falseAlarms(() -> new PageHinkley(0.005, 50, 1 - 1e-4), 0.3, 1_000_000, 0))
                .isGreaterThan(10);
    }

    @Test
    void findsAnAbruptRiseOfTheErrorRate() {
        for (long seed = 0; seed < 5; seed++) {
            assertThat(DriftStreams.delay(PageHinkley::forErrors, 0.1, 0.5, 20_000, seed)).as("0.1 -> 0.5")
                    .isBetween(0L, 400L);
            assertThat(DriftStreams.delay(PageHinkley::forErrors, 0.03, 0.6, 20_000, seed)).as("0.03 -> 0.6")
                    .isBetween(0L, 200L);
        }
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThatThrownBy(() -> new PageHinkley(0.1, 0, 1)).hasMessageContaining("lambda > 0");
        assertThatThrownBy(() -> PageHinkley.forErrors().update(Double.POSITIVE_INFINITY))
                .hasMessageContaining("finite");
    }
}
