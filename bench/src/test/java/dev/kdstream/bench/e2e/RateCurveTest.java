package dev.kdstream.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateCurveTest {

    /** 10k records/s for the first 2 s, then 40k records/s. */
    private static RateCurve warmingUp() {
        final RateCurve c = new RateCurve();
        c.add(1000, 10_000);
        c.add(2000, 20_000);
        c.add(3000, 60_000);
        c.add(4000, 100_000);
        c.add(5000, 140_000);
        return c;
    }

    @Test
    void interpolatesWhenTheNthRecordWasThrough() {
        assertThat(warmingUp().millisAt(40_000).getAsDouble()).isCloseTo(2500, within(1e-9));
        assertThat(warmingUp().millisAt(140_001)).isEmpty();
        assertThat(warmingUp().millisAt(0).getAsDouble()).isZero();
        assertThat(warmingUp().millisAt(20_000).getAsDouble()).isCloseTo(2000, within(1e-9));
    }

    @Test
    void doneByATimeIsTheLastSampleBeforeIt() {
        assertThat(warmingUp().doneBy(0)).isZero();
        assertThat(warmingUp().doneBy(2999)).isEqualTo(20_000);
        assertThat(warmingUp().doneBy(3000)).isEqualTo(60_000);
        assertThat(warmingUp().doneBy(9000)).isEqualTo(140_000);
    }

    @Test
    void recordsToReachARateNeedItHeld() {
        // the 20k records before the 60,000th went through in 0.5 s (40k/s), and every 20k after them too
        assertThat(warmingUp().recordsToReach(36_000, 20_000, 1)).hasValue(60_000);
        assertThat(warmingUp().recordsToReach(36_000, 20_000, 3)).hasValue(60_000);
        // the window ending at 20k ran at 10k/s, the next at 40k/s
        assertThat(warmingUp().recordsToReach(9_000, 20_000, 2)).hasValue(20_000);
        assertThat(warmingUp().recordsToReach(50_000, 20_000, 1)).isEmpty();
    }

    @Test
    void aBurstOfCatchingUpIsNotReachingTheRate() {
        // held back for 4 s, 40,000 records at once, then 10k/s
        final RateCurve c = new RateCurve();
        c.add(4000, 0);
        c.add(4100, 40_000);
        c.add(5100, 50_000);
        c.add(6100, 60_000);
        c.add(7100, 70_000);
        assertThat(c.recordsToReach(20_000, 10_000, 1)).as("one window: the burst").hasValue(40_000);
        assertThat(c.recordsToReach(20_000, 10_000, 3)).as("held: never").isEmpty();
        assertThat(c.recordsToReach(9_000, 10_000, 3)).as("the burst, then 10k/s").hasValue(40_000);
    }

    @Test
    void aFurtherPartIsAppendedWithoutTheTimeBetween() {
        final RateCurve c = warmingUp();
        final RateCurve.Sampler next = c.continuing();
        next.sample(0, 0);
        next.sample(500, 20_000);
        assertThat(c.done()).isEqualTo(160_000);
        assertThat(c.millisAt(160_000).getAsDouble()).isCloseTo(5500, within(1e-9));
    }

    @Test
    void refusesSamplesGoingBack() {
        final RateCurve c = warmingUp();
        assertThatThrownBy(() -> c.add(4500, 150_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.add(6000, 130_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
