package dev.kdstream.launcher.stack;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kdstream.client.produce.ProduceSummary;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.MlpShape;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.student.metrics.Accuracies;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.trainer.TrainerStatus;
import dev.kdstream.teacher.streams.TeacherMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/** The seed-style table at the end of a {@code ./kd stack} stream, from the holdout figures. */
final class StackSummary {

    private StackSummary() {
    }

    static void print(final PrintWriter out, final StackStatus status, final ProduceSummary produced,
                      final TeacherEnsemble ensemble, final double seconds,
                      final double streamSeconds, final boolean complete) {
        final TrainerStatus t = status.pipeline().trainer().status();
        final Evaluation e = t.evaluation();
        final Accuracies h = e.holdout();
        final int width = ensemble.manifest().inputWidth();
        final int classes = ensemble.manifest().numClasses();
        final Hyperparameters hp = ensemble.manifest().hyperparameters();
        final long teacherParams = ensemble.manifest().teacherParams();
        final long studentParams = MlpShape.of(width, Hyperparameters.defaults().student().hidden(), classes)
                .parameterCount();
        out.println();
        out.printf(Locale.ROOT, "kd-stream stack summary%s%n", complete ? "" : " (stream stopped early)");
        out.println("-".repeat(66));
        if (h.records() == 0) {
            out.printf(Locale.ROOT, "%-44s %s%n", "holdout accuracy", "none: no labelled holdout record was scored");
        } else {
            out.printf(Locale.ROOT, "%-44s%n", String.format(Locale.ROOT, "holdout accuracy (the last %,d holdout records)",
                    h.records()));
            row(out, "teacher ensemble (" + hp.teacher().count() + ")", h.teacher());
            row(out, "distilled student (online)", h.distilled());
            row(out, "baseline student (online, hard labels)", h.baseline());
            out.printf(Locale.ROOT, "%-44s %7.2f pt%n", "gap (ensemble - baseline)", 100 * (h.teacher() - h.baseline()));
        }
        out.printf(Locale.ROOT, "%-44s %s%n", "knowledge recovered (holdout)", h.recovered().describe());
        out.printf(Locale.ROOT, "%-44s %s%n", "knowledge recovered (prequential window)",
                e.recoveredWindow().describe());
        if (Double.isNaN(e.agreement())) {
            out.printf(Locale.ROOT, "%-44s %s%n", "student-teacher agreement", "none: no record was scored");
        } else {
            out.printf(Locale.ROOT, "%-44s %7.2f %%%n", "student-teacher agreement (window)", 100 * e.agreement());
            out.printf(Locale.ROOT, "%-44s %8.4f%n", "mean KL(teacher || student) at T (window)", e.klToTeacher());
        }
        out.println("-".repeat(66));
        out.printf(Locale.ROOT, "params: teacher %,d / ensemble %,d / student %,d  (%.1fx compression)%n",
                teacherParams, teacherParams * hp.teacher().count(), studentParams,
                (double) teacherParams * hp.teacher().count() / studentParams);
        final Pipeline.Counts counts = status.pipeline().counts();
        out.println(records(produced.acked(), produced.failed(), counts, status.backlog(), t.recordsRestored(),
                t.version()));
        final String budget = budget(status.pipeline().selections());
        if (!budget.isEmpty()) {
            out.println(budget);
        }
        out.printf(Locale.ROOT, "time %.1f s in all, %.1f s streaming: %,.0f events/s end to end (mean), "
                        + "peak %,d predictions/s in one second%n", seconds, streamSeconds,
                status.pipeline().predicted() / Math.max(streamSeconds, 1e-9), status.peakThroughput());
        final Timer latency = status.pipeline().studentMetrics().registry().find(MetricNames.PREDICTION_LATENCY).timer();
        if (latency != null && latency.count() > 0) {
            final StringBuilder s = new StringBuilder(latencyHeading(latency.count(), status.backlog()));
            for (final ValueAtPercentile p : latency.takeSnapshot().percentileValues()) {
                s.append(String.format(Locale.ROOT, " p%s %.1f ms", trim(p.percentile() * 100),
                        p.value(TimeUnit.MILLISECONDS)));
            }
            out.println(s);
        }
        out.flush();
    }

    /**
     * What the teacher budget bought, when it left anything out: empty when every training record
     * was annotated.
     *
     * @param selections records by {@link Selection} tag, and {@link TeacherMetrics#LEFT_OUT}
     */
    static String budget(final Map<String, Long> selections) {
        final long uniform = selections.getOrDefault(Selection.UNIFORM.tag(), 0L);
        final long uncertain = selections.getOrDefault(Selection.UNCERTAIN.tag(), 0L);
        final long labelOnly = selections.getOrDefault(Selection.LABEL_ONLY.tag(), 0L);
        final long leftOut = selections.getOrDefault(TeacherMetrics.LEFT_OUT, 0L);
        final long training = uniform + uncertain + labelOnly + leftOut;
        if (labelOnly + leftOut + uncertain == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "teacher budget: annotated %,d of %,d training records (%.1f %%: %,d drawn "
                + "uniformly, %,d the student was unsure of) + %,d holdout; %,d passed on with their label alone, "
                + "%,d left out: %,d ensemble calls saved", uniform + uncertain, training,
                100.0 * (uniform + uncertain) / training, uniform, uncertain,
                selections.getOrDefault(Selection.HOLDOUT.tag(), 0L), labelOnly, leftOut, labelOnly + leftOut);
    }

    /**
     * What this run produced and what each stage took in this process. After a restart with the topics
     * kept, the teacher and the server first take what an earlier run left them ({@code backlog}), and
     * the trainer resumes from its checkpoint.
     */
    static String records(final long produced, final long failed, final Pipeline.Counts here, final Backlog backlog,
                          final long restored, final long version) {
        final StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "records: produced %,d (failed %d); in this process the teacher took %,d, the trainer %,d, the server %,d; student v%d",
                produced, failed, here.taught(), here.trained(), here.predicted(), version));
        if (backlog.features() > 0) {
            s.append(String.format(Locale.ROOT, "%n         features held %,d records from earlier runs: %,d of them "
                    + "not yet annotated and %,d not yet answered, taken before this run's", backlog.features(),
                    backlog.unannotated(), backlog.unanswered()));
        }
        if (restored > 0) {
            s.append(String.format(Locale.ROOT, "%n         the trainer resumed from a checkpoint of %,d records "
                    + "(it trains again on what came after that checkpoint)", restored));
        }
        final long twice = here.predicted() - produced - backlog.unanswered();
        if (twice > 0) {
            s.append(String.format(Locale.ROOT, "%n         %,d records answered twice (the server answers at least "
                    + "once by default)", twice));
        }
        return s.toString();
    }

    /** The latency line's heading: the timer counts every prediction of this process, an earlier run's records included. */
    static String latencyHeading(final long predictions, final Backlog backlog) {
        if (backlog.unanswered() == 0) {
            return "event-to-prediction latency:";
        }
        return String.format(Locale.ROOT, "event-to-prediction latency (%,d predictions, %,d of records from before "
                + "this run, whose latency includes the time the stack was down):", predictions, backlog.unanswered());
    }

    private static void row(final PrintWriter out, final String name, final double value) {
        out.printf(Locale.ROOT, "  %-42s %7.2f %%%n", name, 100 * value);
    }

    private static String trim(final double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }

}
