package dev.kdstream.teacher.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.data.Dataset;

class RecentLabelledTest {

    @Test
    void holdsTheNewestRecordsSinceTheMarkOldestFirst() {
        final RecentLabelled recent = new RecentLabelled(3);
        recent.add(new double[] {0}, 0);
        recent.mark();
        assertThat(recent.snapshot(2, "t").size()).isZero();
        for (int i = 1; i <= 4; i++) {
            recent.add(new double[] {i}, i % 2);
        }
        assertThat(recent.sinceMark()).isEqualTo(4);
        final Dataset d = recent.snapshot(2, "t");
        assertThat(d.features()).isDeepEqualTo(new double[][] {{2}, {3}, {4}});
        assertThat(d.labels()).containsExactly(0, 1, 0);
    }
}
