package dev.kdstream.bench.drift;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import dev.kdstream.bench.MachineInfo;
import dev.kdstream.bench.StackEnsembleOption;
import dev.kdstream.client.produce.stream.Drift;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.eval.Stats;
import dev.kdstream.student.drift.DriftWatch;
import dev.kdstream.student.trainer.TrainerSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The stack's stream with an abrupt change of concept part way ({@link Drift}), through the
 * teacher's annotation and the trainer's code: how long the trainer's detectors take to find it,
 * what it costs the ensemble, the distilled student (with the trust, its fall-back to the baseline
 * and the teacher's refresh with its lesson; with the trust and fall-back alone; with neither) and the
 * baseline over the records after the detection, and how long the distilled student takes
 * to be within a point of its accuracy before the change.
 */
@Command(name = "drift", mixinStandardHelpOptions = true, sortOptions = false,
        description = "An abrupt drift in the './kd stack' stream (--kind at --at of it), through the teacher and the "
                + "trainer's code without Kafka: records from the change to the trainer's first teacher_error and "
                + "student_error detections, accuracies over the 20,000 labelled records after the first detection, "
                + "and records until the distilled student is within 1 pt of its accuracy before the change; with "
                + "the trainer's trust (and its fall-back to the baseline) and the teacher's refresh (and its lesson), "
                + "with trust alone, with neither; --runs shuffles, "
                + "medians.",
        footer = {"", "Examples:", "  ./kd bench drift", "  ./kd bench drift --kind rotate --runs 3",
            "  ./kd bench drift --detector page-hinkley",
            "  ./kd bench drift --lesson labels          # the lesson without its soft targets",
            "  ./kd bench drift --labelled-fraction 0.1  # labels scarce"})
public final class DriftBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "swap",
            description = "swap, shift or rotate (see ./kd produce --drift; default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--at", paramLabel = "F", defaultValue = "0.5",
            description = "Where in the stream the change starts, a fraction (default: ${DEFAULT-VALUE}).")
    double at;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + StreamOptions.STACK_REPEAT,
            description = "Passes over the training split, each followed by the holdout split "
                    + "(default: ${DEFAULT-VALUE}, as ./kd stack).")
    int epochs;

    @Option(names = "--labelled-fraction", paramLabel = "F", defaultValue = "1.0",
            description = "Share of training records sent with their label (default: ${DEFAULT-VALUE}); the others "
                    + "teach the distilled student through the teacher alone.")
    double labelledFraction;

    @Option(names = "--lesson", paramLabel = "KIND", defaultValue = "teacher",
            description = "What a refreshed ensemble's lesson teaches: teacher (its soft targets and the labels, "
                    + "as the teacher writes it) or labels (the labels alone: how much of it is repetition; "
                    + "default: ${DEFAULT-VALUE}).")
    String lesson;

    @Option(names = "--detector", paramLabel = "NAME", defaultValue = DriftWatch.ADWIN,
            description = "adwin or page-hinkley (default: ${DEFAULT-VALUE}).")
    String detector;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Runs, each with its own shuffles (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    StackEnsembleOption stack;

    @Override
    public Integer call() {
        if (runs < 1 || epochs < 2 || !(at > 0 && at < 1)) {
            throw new IllegalArgumentException("--runs must be >= 1, --epochs >= 2 and --at in (0, 1)");
        }
        if (!lesson.equals("teacher") && !lesson.equals("labels")) {
            throw new IllegalArgumentException("--lesson is teacher or labels, got '" + lesson + "'");
        }
        final boolean labelsOnly = lesson.equals("labels");
        final Drift.Kind change = Drift.Kind.of(kind);
        DriftWatch.detectors(detector);
        final PrintWriter out = spec.commandLine().getOut();
        out.println(MachineInfo.describe());
        final TrainTestSplit.Split split = TrainTestSplit.seedDefault();
        final TeacherEnsemble ensemble = stack.load(split.train(), out);
        final TrainerSetup setup = TrainerSetup.of(ensemble.manifest());
        final FeatureStream sample = stream(split, change, 0);
        out.printf(Locale.ROOT, "stream: %s; detector %s%n", sample.describe(), detector);
        out.println("delays: stream records from the change to the first detection; accuracies (%) over the "
                + DriftRun.AFTER + " labelled training records after it; recovery: records until the distilled "
                + "student is within 1 pt of its accuracy before the change. Responses: trust (with its fall-back "
                + "to the baseline) + refresh (the "
                + "ensemble retrained on the labelled records since the first teacher_error once there are "
                + DriftRun.REFRESH_RECORDS + ", then at twice as many after each swap, each swapped in when better "
                + "as many records later as it trained ms, with its lesson" + (labelsOnly ? " (labels alone)" : "")
                + "); trust alone; none");
        out.printf(Locale.ROOT, "%-4s %9s %9s %8s %10s %10s %10s %9s %10s %10s %10s %10s %7s%n", "run", "t. delay",
                "s. delay", "teacher", "distilled", "trust", "none", "baseline", "recovery", "trust", "none",
                "swap at", "alarms");
        out.flush();
        final List<DriftRun.Result> responses = new ArrayList<>();
        final List<DriftRun.Result> trusted = new ArrayList<>();
        final List<DriftRun.Result> plain = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            final FeatureStream stream = stream(split, change, run);
            final long from = (long) Math.floor(at * stream.size());
            final DriftRun.Result r = new DriftRun(ensemble, setup, true, true, labelsOnly, detector, from).run(stream);
            final DriftRun.Result t = new DriftRun(ensemble, setup, true, false, false, detector, from).run(stream);
            final DriftRun.Result p = new DriftRun(ensemble, setup, false, false, false, detector, from).run(stream);
            responses.add(r);
            trusted.add(t);
            plain.add(p);
            out.printf(Locale.ROOT, "%-4d %9s %9s %8.2f %10.2f %10.2f %10.2f %9.2f %10s %10s %10s %10s %7d%n",
                    run + 1, records(r.teacherDelay()), records(r.studentDelay()), 100 * r.teacher(),
                    100 * r.distilled(), 100 * t.distilled(), 100 * p.distilled(), 100 * r.baseline(),
                    records(r.recovery()), records(t.recovery()), records(p.recovery()), records(r.swapAt()),
                    r.falseAlarms());
            out.flush();
        }
        out.printf(Locale.ROOT, "median delays: teacher_error %s, student_error %s records; after detection, "
                        + "mean +- std: teacher %s (with refresh), distilled %s with trust and refresh, %s with trust "
                        + "alone, %s with neither; baseline %s%n",
                median(responses, DriftRun.Result::teacherDelay), median(responses, DriftRun.Result::studentDelay),
                meanStd(responses, DriftRun.Result::teacher), meanStd(responses, DriftRun.Result::distilled),
                meanStd(trusted, DriftRun.Result::distilled), meanStd(plain, DriftRun.Result::distilled),
                meanStd(responses, DriftRun.Result::baseline));
        out.printf(Locale.ROOT, "median recovery of the distilled student: %s records with trust and refresh, %s with "
                        + "trust alone, %s with neither; median refresh training %s ms%n",
                median(responses, DriftRun.Result::recovery), median(trusted, DriftRun.Result::recovery),
                median(plain, DriftRun.Result::recovery), median(responses, DriftRun.Result::refreshMillis));
        return 0;
    }

    private FeatureStream stream(final TrainTestSplit.Split split, final Drift.Kind change, final int run) {
        final FeatureStream plain = FeatureStream.of(split.train(), split.test(),
                StreamOptions.defaults().withRepeat(epochs).withLabelledFraction(labelledFraction)
                        .withSeed(StreamOptions.DEFAULT_SEED + run));
        return plain.drifting(Drift.of(change, (long) Math.floor(at * plain.size()), split.train()));
    }

    private static String records(final long n) {
        return n < 0 ? "never" : String.format(Locale.ROOT, "%,d", n);
    }

    /** The median of the values, "never" counting as the largest (a -1 is "never"). */
    private static String median(final List<DriftRun.Result> rs, final ToDoubleFunction<DriftRun.Result> f) {
        final double[] v = rs.stream().mapToDouble(f).map(x -> x < 0 ? Double.POSITIVE_INFINITY : x).toArray();
        Arrays.sort(v);
        final double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return Double.isInfinite(m) ? "never" : String.format(Locale.ROOT, "%,.0f", m);
    }

    private static String meanStd(final List<DriftRun.Result> rs, final ToDoubleFunction<DriftRun.Result> f) {
        final Stats s = Stats.of(rs.stream().mapToDouble(f).map(x -> 100 * x).toArray());
        return String.format(Locale.ROOT, "%.2f +- %.2f %%", s.mean(), s.std());
    }
}
