package dev.kdstream.student.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RollingMeanTest {

    @Test
    void isNaNBeforeTheFirstValue() {
        assertThat(new RollingMean(3).mean()).isNaN();
    }

    @Test
    void averagesTheLastWindowOfValues() {
        final RollingMean m = new RollingMean(3);
        m.add(1);
        m.add(2);
        assertThat(m.mean()).isEqualTo(1.5);
        m.add(3);
        assertThat(m.mean()).isEqualTo(2.0);
        m.add(10); // 2, 3, 10
        assertThat(m.mean()).isEqualTo(5.0);
        m.add(0.5); // 3, 10, 0.5
        assertThat(m.mean()).isCloseTo(13.5 / 3, within(1e-12));
    }

    @Test
    void doesNotDriftAfterAHugeValueLeavesTheWindow() {
        final RollingMean m = new RollingMean(4);
        m.add(1e17);
        for (int i = 0; i < 10_003; i++) {
            m.add(0.1);
        }
        // subtracting 1e17 back out of a running sum would have lost the 0.1s
        assertThat(m.mean()).isCloseTo(0.1, within(1e-12));
    }
}
