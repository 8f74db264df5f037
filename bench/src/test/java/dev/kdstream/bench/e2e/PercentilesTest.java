package dev.kdstream.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToAThousand() {
        final long[] samples = LongStream.rangeClosed(1, 1000).map(i -> 1001 - i).toArray();
        final Percentiles p = Percentiles.of(samples, 1000);
        assertThat(p).isEqualTo(new Percentiles(1000, 500, 990, 999, 1000));
    }

    @Test
    void onlyTheFirstNSamplesCountAndNoneIsNone() {
        assertThat(Percentiles.of(new long[] {7, 3, 100, 100}, 2)).isEqualTo(new Percentiles(2, 3, 7, 7, 7));
        assertThat(Percentiles.of(new long[4], 0)).isEqualTo(Percentiles.NONE);
    }
}
