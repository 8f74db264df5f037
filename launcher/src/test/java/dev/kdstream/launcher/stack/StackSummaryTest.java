package dev.kdstream.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.eval.Accuracy;

class StackSummaryTest {

    @Test
    void printsAShareOfTheGap() {
        assertThat(StackSummary.recovered(Accuracy.recovered(0.978, 0.972, 0.965))).isEqualTo("   53.8 %");
    }

    @Test
    void saysThereIsNoGapInsteadOfPrintingNaN() {
        // a stack restarted with --keep-data can end with ensemble and baseline equal on its holdout
        assertThat(StackSummary.recovered(Accuracy.recovered(0.964, 0.961, 0.964)))
                .isEqualTo("    n/a (no gap between ensemble and baseline)");
    }
}
