package dev.kdstream.student.trainer;

import dev.kdstream.student.metrics.Accuracies;
import dev.kdstream.student.metrics.Evaluation;

/**
 * How much the distilled student listens to the teacher: the weight of its soft term is alpha times
 * this trust. A stale teacher (a world that moved, an ensemble trained on other data) must not drag
 * the student below what the labels alone teach, so on the recent labelled records: trust 1 while
 * the ensemble is at most {@link #TOLERATED} below the hard-label baseline, 0 from
 * {@link #DISTRUSTED} below on, linear in between ({@link #of}, pure). The baseline is no quick
 * witness of a sudden change, though: it learnt the old concept too, and both fall together. So when
 * the trainer's detector finds the teacher's errors rising ({@link #teacherDrifted}), the trust is 0
 * at once, until a whole window of records after the detection says otherwise. A teacher refreshed
 * after the drift earns its trust back the same way, by the window: trusted at once, a refresh
 * trained on a thousand records drew a student below the baseline for a window after a shift
 * (docs/benchmarks.md, "Drift").
 *
 * <p>Distrusted, the distilled student learns the labels as the baseline does, yet from weights the
 * stale teacher shaped: after a swap of the class regions it climbed back 2.6 points slower than the
 * baseline beside it (docs/benchmarks.md, "Drift"). So when, over the first {@link #MIN_RECORDS}
 * labelled records after a detection, the baseline was right on more of them than the distilled
 * student, by more than {@link #TOLERATED} of them, the trainer is told to start the distilled
 * student again from the baseline ({@link #takeFallBack}): once per detection, so that a stale
 * teacher cannot leave the served student behind the hard-label learner. Where the teacher's
 * knowledge still helps (a shift of the means), the distilled student keeps its lead and its
 * weights. Not thread-safe.
 */
public final class TeacherTrust {

    /** A gap the window's noise makes (about one point for 1,000 records near 95 %): full trust. */
    public static final double TOLERATED = 0.01;
    /** A gap no noise makes: the labels alone. */
    public static final double DISTRUSTED = 0.05;
    /** Fewer labelled records in the window than this: too few to judge, the trust stays as it was. */
    public static final long MIN_RECORDS = 200;

    private final long window;
    private double trust = 1;
    /** No judging from the window before this many prequential records: it still holds the old concept. */
    private long holdUntil;
    private boolean driftPending;
    /** The cumulative accuracies at a detection whose records after it are not judged yet; null for none. */
    private Accuracies atDetection;
    private FallBack fallBack;

    /**
     * The two students over the labelled records after a detection, when the baseline was ahead by
     * more than {@link #TOLERATED} of them: the distilled student is to start again from it.
     */
    public record FallBack(long records, long baselineRight, long distilledRight) {
    }

    /** @param window records in the prequential window ({@code metrics.window}) */
    public TeacherTrust(final long window) {
        this.window = window;
    }

    /**
     * The trainer's detector found the teacher's errors rising while a poll was scored: the trust is
     * withdrawn by the next {@link #update}, counting from the records that poll ends at.
     */
    public void teacherDrifted() {
        driftPending = true;
    }

    /** The trust after the records scored so far ({@code e}). */
    public double update(final Evaluation e) {
        settle(e);
        if (e.prequentialRecords() >= holdUntil) {
            trust = of(e.window(), trust);
        }
        final long since = atDetection == null ? 0 : e.cumulative().records() - atDetection.records();
        if (since >= MIN_RECORDS) {
            final Accuracies now = e.cumulative();
            final long baseline = hits(now.baseline(), now) - hits(atDetection.baseline(), atDetection);
            final long distilled = hits(now.distilled(), now) - hits(atDetection.distilled(), atDetection);
            // judged soon after the detection only: a trust turned on long after it finds old news
            fallBack = trust == 0 && since <= window && baseline - distilled > TOLERATED * since
                    ? new FallBack(since, baseline, distilled) : null;
            atDetection = null;
        }
        return trust;
    }

    /** Takes a pending {@link #teacherDrifted()} at {@code e}'s count, whether or not the trust is used. */
    public void settle(final Evaluation e) {
        if (driftPending) {
            teacherDrifted(e);
            driftPending = false;
        }
    }

    /** The teacher's errors rose (a drift detection) after the records of {@code e}: no trust, for a window. */
    public void teacherDrifted(final Evaluation e) {
        trust = 0;
        holdUntil = e.prequentialRecords() + window;
        if (atDetection == null || e.cumulative().records() - atDetection.records() > window) {
            // a second detection before the first is judged does not put the judgement off; one a
            // window old was never judged (the trust was off) and is replaced
            atDetection = e.cumulative();
        }
    }

    /**
     * The judgement that the distilled student should start again from the baseline's weights, now:
     * the records after a detection found the teacher still distrusted and the baseline ahead. Once;
     * null otherwise.
     */
    public FallBack takeFallBack() {
        final FallBack f = fallBack;
        fallBack = null;
        return f;
    }

    /** How many of {@code all}'s records a model of accuracy {@code accuracy} got right. */
    private static long hits(final double accuracy, final Accuracies all) {
        return all.records() == 0 ? 0 : Math.round(accuracy * all.records());
    }

    public double trust() {
        return trust;
    }

    /**
     * @param window   the prequential window's accuracies (teacher and baseline on the same records)
     * @param previous the trust so far, kept while the window is too small to judge
     */
    public static double of(final Accuracies window, final double previous) {
        if (window.records() < MIN_RECORDS || Double.isNaN(window.teacher()) || Double.isNaN(window.baseline())) {
            return previous;
        }
        final double gap = window.baseline() - window.teacher();
        if (gap <= TOLERATED) {
            return 1;
        }
        if (gap >= DISTRUSTED) {
            return 0;
        }
        return 1 - (gap - TOLERATED) / (DISTRUSTED - TOLERATED);
    }
}
