package dev.kdstream.client.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(5_000 * MS);

    @Test
    void permitsFallDueAtTheRate() {
        final Pacer pacer = new Pacer(1000, 50 * MS, clock::get);

        assertThat(pacer.take(100)).as("the first permit is due at once").isEqualTo(1);
        assertThat(pacer.take(100)).isZero();
        assertThat(pacer.nanosUntilDue()).isEqualTo(MS);

        clock.addAndGet(10 * MS);
        assertThat(pacer.take(100)).as("permits 1..10 are due at 1..10 ms").isEqualTo(10);
        clock.addAndGet(10 * MS);
        assertThat(pacer.take(4)).isEqualTo(4);
        assertThat(pacer.take(100)).isEqualTo(6);
        assertThat(pacer.nanosUntilDue()).isEqualTo(MS);
    }

    @Test
    void theMeanRateIsExactWhateverTheSleeps() {
        // 50k/s: a permit every 20 us, with wake-ups 0..300 us late, as parkNanos is on a busy box
        final Pacer pacer = new Pacer(50_000, 50 * MS, clock::get);
        final long start = clock.get();
        final Random jitter = new Random(1);
        long granted = 0;
        while (clock.get() - start < 1_000 * MS) {
            final long n = pacer.take(256);
            granted += n;
            if (n == 0) {
                clock.addAndGet(pacer.nanosUntilDue() + jitter.nextInt(300_000));
            }
        }
        assertThat(granted).isBetween(49_990L, 50_010L);
    }

    @Test
    void aNonIntegerIntervalDoesNotDrift() {
        final Pacer pacer = new Pacer(3, 50 * MS, clock::get);
        long granted = 0;
        for (int second = 0; second < 100; second++) {
            for (int step = 0; step < 10; step++) {
                clock.addAndGet(100 * MS);
                granted += pacer.take(1000);
            }
        }
        // permits at 0, 1/3, 2/3, ... s: 301 of them by t = 100 s
        assertThat(granted).isEqualTo(301);
    }

    @Test
    void catchUpAfterAStallIsOneBurstAtMost() {
        final Pacer pacer = new Pacer(1000, 50 * MS, clock::get);
        pacer.take(1);
        clock.addAndGet(10_000 * MS);

        assertThat(pacer.take(1_000_000)).as("50 ms worth").isEqualTo(50);
        assertThat(pacer.take(1_000_000)).isZero();
        clock.addAndGet(MS);
        assertThat(pacer.take(1_000_000)).isEqualTo(1);
    }

    @Test
    void rateZeroIsUnlimited() {
        final Pacer pacer = new Pacer(0, 50 * MS, clock::get);
        assertThat(pacer.unlimited()).isTrue();
        assertThat(pacer.take(256)).isEqualTo(256);
        assertThat(pacer.nanosUntilDue()).isZero();
    }

    @Test
    void refusesANegativeOrNonFiniteRate() {
        assertThatThrownBy(() -> new Pacer(-1, 50 * MS, clock::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(Double.NaN, 50 * MS, clock::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(Double.POSITIVE_INFINITY, 50 * MS, clock::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
