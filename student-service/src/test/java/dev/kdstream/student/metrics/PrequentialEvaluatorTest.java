package dev.kdstream.student.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.eval.KnowledgeRecovered;

class PrequentialEvaluatorTest {

    @Test
    void emptyIsAllNaN() {
        final Evaluation e = new PrequentialEvaluator(10).snapshot();
        assertThat(e.window().teacher()).isNaN();
        assertThat(e.cumulative().distilled()).isNaN();
        assertThat(e.holdout().baseline()).isNaN();
        assertThat(e.agreement()).isNaN();
        assertThat(e.klToTeacher()).isNaN();
        assertThat(e.recoveredWindow().state()).isEqualTo(KnowledgeRecovered.State.NO_RECORDS);
        assertThat(e.window().records()).isZero();
        assertThat(e.prequentialRecords()).isZero();
    }

    /**
     * Window 4. Labelled training records r1..r5 as (label, teacher, distilled, baseline):
     * r1 (0,0,0,1) r2 (1,1,0,1) r3 (1,1,1,0) r4 (0,0,0,0) r5 (0,0,0,1); an unlabelled u1; holdout
     * h1 (1,1,1,0) and h2 (0,0,1,0). Order r1 r2 u1 h1 r3 r4 h2 r5, KL 0.1 .. 0.8.
     */
    @Test
    void scoresPrequentialHoldoutAgreementAndKlSeparately() {
        final PrequentialEvaluator ev = new PrequentialEvaluator(4);
        ev.record(0, false, 0, 0, 1, 0.1);    // r1
        ev.record(1, false, 1, 0, 1, 0.2);    // r2
        ev.record(null, false, 1, 1, 0, 0.3); // u1
        ev.record(1, true, 1, 1, 0, 0.4);     // h1
        ev.record(1, false, 1, 1, 0, 0.5);    // r3
        ev.record(0, false, 0, 0, 0, 0.6);    // r4
        ev.record(0, true, 0, 1, 0, 0.7);     // h2
        ev.record(0, false, 0, 0, 1, 0.8);    // r5
        final Evaluation e = ev.snapshot();

        // window r2..r5: teacher 4/4, distilled 3/4 (r2 wrong), baseline 2/4 (r3, r5 wrong)
        assertThat(e.window().teacher()).isEqualTo(1.0);
        assertThat(e.window().distilled()).isEqualTo(0.75);
        assertThat(e.window().baseline()).isEqualTo(0.5);
        assertThat(e.window().records()).isEqualTo(4);
        assertThat(e.recoveredWindow().share()).isCloseTo(0.5, within(1e-12));

        // all five: teacher 5/5, distilled 4/5, baseline 2/5
        assertThat(e.cumulative().teacher()).isEqualTo(1.0);
        assertThat(e.cumulative().distilled()).isCloseTo(0.8, within(1e-12));
        assertThat(e.cumulative().baseline()).isCloseTo(0.4, within(1e-12));
        assertThat(e.cumulative().records()).isEqualTo(5);
        assertThat(e.cumulative().recovered().share()).isCloseTo(2.0 / 3, within(1e-12));

        // holdout h1, h2: teacher 2/2, distilled 1/2, baseline 1/2 -> nothing recovered
        assertThat(e.holdout().teacher()).isEqualTo(1.0);
        assertThat(e.holdout().distilled()).isEqualTo(0.5);
        assertThat(e.holdout().baseline()).isEqualTo(0.5);
        assertThat(e.holdout().records()).isEqualTo(2);
        assertThat(e.holdout().recovered().share()).isEqualTo(0.0);

        // every record counts for agreement and KL: the last four are r3, r4, h2 (disagree), r5
        assertThat(e.agreement()).isEqualTo(0.75);
        assertThat(e.klToTeacher()).isCloseTo((0.5 + 0.6 + 0.7 + 0.8) / 4, within(1e-12));
        assertThat(e.prequentialRecords()).isEqualTo(5);
        assertThat(e.holdoutRecords()).isEqualTo(2);
    }

    @Test
    void recoveredIsUndefinedWithoutAGapBetweenTeacherAndBaseline() {
        final PrequentialEvaluator ev = new PrequentialEvaluator(4);
        ev.record(1, false, 1, 0, 1, 0.0);
        assertThat(ev.snapshot().recoveredWindow().state()).isEqualTo(KnowledgeRecovered.State.NO_GAP);
    }

    @Test
    void theWindowForgetsTheOutcomesItDrops() {
        final PrequentialEvaluator ev = new PrequentialEvaluator(2);
        ev.record(0, false, 0, 1, 1, 0.0); // teacher right only: evicted below
        ev.record(0, false, 1, 0, 0, 0.0);
        ev.record(0, false, 1, 1, 0, 0.0);
        final Accuracies w = ev.snapshot().window();
        assertThat(w.records()).isEqualTo(2);
        assertThat(w.teacher()).isZero();
        assertThat(w.distilled()).isEqualTo(0.5);
        assertThat(w.baseline()).isEqualTo(1.0);
        assertThat(w.recovered().state()).isEqualTo(KnowledgeRecovered.State.NO_GAP);
    }
}
