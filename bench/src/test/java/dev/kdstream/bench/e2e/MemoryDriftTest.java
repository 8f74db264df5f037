package dev.kdstream.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class MemoryDriftTest {

    private static MemorySample rss(final double seconds, final long bytes) {
        return new MemorySample(seconds, bytes, 0, 0, 0);
    }

    @Test
    void comparesTheMeansOfTheFirstAndLastWindowAfterTheWarmUp() {
        // warm-up sample at 0 s (ignored), first window 60..120 s: mean 110; last window 180..240 s: mean 121
        final List<MemorySample> samples = List.of(rss(0, 10), rss(60, 100), rss(120, 120), rss(180, 118),
                rss(240, 124));
        final MemoryDrift drift = MemoryDrift.of(samples, 60, 60, MemorySample::residentBytes);
        assertThat(drift.firstMean()).isEqualTo(110.0);
        assertThat(drift.lastMean()).isEqualTo(121.0);
        assertThat(drift.growth()).isCloseTo(0.10, within(1e-12));
        assertThat(drift.min()).isEqualTo(100);
        assertThat(drift.max()).isEqualTo(124);
        assertThat(drift.spread()).isCloseTo(0.24, within(1e-12));
    }

    @Test
    void needsTwoSamplesAfterTheWarmUp() {
        assertThatThrownBy(() -> MemoryDrift.of(List.of(rss(0, 1), rss(70, 2)), 60, 60, MemorySample::residentBytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two samples");
    }

    @Test
    void readsVmRssFromProcStatus() {
        final String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nThreads:\t42\n";
        assertThat(MemorySample.parseResident(status)).isEqualTo(123456L * 1024);
        assertThat(MemorySample.parseResident("Name:\tjava\n")).isEqualTo(-1);
    }
}
