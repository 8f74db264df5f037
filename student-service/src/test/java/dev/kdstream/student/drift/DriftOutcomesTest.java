package dev.kdstream.student.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DriftOutcomesTest {

    @Test
    void measuresTheAccuracyBeforeTheLowestAfterAndTheRecordsToRecover() {
        final DriftOutcomes o = new DriftOutcomes();
        // 30,000 records, the change at 20,000: the ensemble never recovers, the distilled student is
        // wrong on the 2,000 records after the change then right again, the baseline never falls
        for (long p = 0; p < 30_000; p++) {
            final boolean after = p >= 20_000;
            o.add(p, !after, !(after && p < 22_000), true);
        }
        final DriftOutcomes.Model ensemble = o.model(DriftOutcomes.ENSEMBLE, 20_000);
        assertThat(ensemble.before()).isEqualTo(1.0);
        assertThat(ensemble.lowest()).isZero();
        assertThat(ensemble.recovery()).isEqualTo(-1);
        final DriftOutcomes.Model distilled = o.model(DriftOutcomes.DISTILLED, 20_000);
        assertThat(distilled.lowest()).isZero();
        // the rolling window of 1,000 is 99 % right again 990 records after the wrong ones end
        assertThat(distilled.recovery()).isEqualTo(2_000 + 990 - 1);
        final DriftOutcomes.Model baseline = o.model(DriftOutcomes.BASELINE, 20_000);
        assertThat(baseline.lowest()).isEqualTo(1.0);
        assertThat(baseline.recovery()).as("it never fell: nothing to recover from").isZero();
        assertThat(o.shares(0, 20_000)[DriftOutcomes.ENSEMBLE]).isCloseTo(1.0, within(1e-12));
    }
}
