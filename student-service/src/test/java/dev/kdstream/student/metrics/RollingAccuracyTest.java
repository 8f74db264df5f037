package dev.kdstream.student.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RollingAccuracyTest {

    @Test
    void isNaNBeforeTheFirstOutcome() {
        assertThat(new RollingAccuracy(5).accuracy()).isNaN();
    }

    @Test
    void countsOnlyTheLastWindowOfOutcomes() {
        final RollingAccuracy a = new RollingAccuracy(3);
        a.add(true);
        assertThat(a.accuracy()).isEqualTo(1.0);
        a.add(false);
        a.add(true);
        assertThat(a.accuracy()).isCloseTo(2.0 / 3, within(1e-12));
        a.add(false); // window: false, true, false
        assertThat(a.accuracy()).isCloseTo(1.0 / 3, within(1e-12));
        a.add(false); // window: true, false, false
        a.add(false); // window: false, false, false
        assertThat(a.accuracy()).isEqualTo(0.0);
        a.add(true);
        a.add(true);
        a.add(true);
        assertThat(a.accuracy()).isEqualTo(1.0);
        assertThat(a.size()).isEqualTo(3);
    }

    @Test
    void aWindowOfOneIsTheLastOutcome() {
        final RollingAccuracy a = new RollingAccuracy(1);
        a.add(true);
        a.add(false);
        assertThat(a.accuracy()).isEqualTo(0.0);
        a.add(true);
        assertThat(a.accuracy()).isEqualTo(1.0);
    }

    @Test
    void matchesARecomputationOverALongStream() {
        final RollingAccuracy a = new RollingAccuracy(7);
        final boolean[] outcomes = new boolean[1000];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = (i * 31 + i / 3) % 5 < 2;
            a.add(outcomes[i]);
        }
        int hits = 0;
        for (int i = outcomes.length - 7; i < outcomes.length; i++) {
            hits += outcomes[i] ? 1 : 0;
        }
        assertThat(a.accuracy()).isCloseTo(hits / 7.0, within(1e-12));
    }

    @Test
    void refusesAnEmptyWindow() {
        assertThatThrownBy(() -> new RollingAccuracy(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
