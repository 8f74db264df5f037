package dev.kdstream.bench.drift;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import dev.kdstream.bench.MachineInfo;
import dev.kdstream.bench.StackEnsembleOption;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.data.CsvDatasetReader;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.eval.Stats;
import dev.kdstream.student.trainer.TrainerSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The stale teacher: an ensemble trained on the stack's data annotates a stream it never saw, and
 * the distilled student follows it unless its soft term is weighed by how well the teacher does
 * against the labels ({@code distillation.trust}). Prints prequential accuracies over the end of
 * that stream, with and without the trust, beside the teacher's and the baseline's.
 */
@Command(name = "stale-teacher", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A stale teacher: the students learn the './kd stack' stream (--epochs passes), then "
                + "--records labelled records of --stream, which the ensemble never saw; prints the prequential "
                + "accuracy of the teacher, the distilled student with and without distillation.trust, and the "
                + "baseline over the last --last records (mean +- std over --runs shuffles), through the trainer's "
                + "code without Kafka.",
        footer = {"", "Examples:", "  ./kd bench stale-teacher",
            "  ./kd bench stale-teacher --runs 1 --epochs 5"})
public final class StaleTeacherBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--stream", paramLabel = "FILE", defaultValue = "bench/data/seed.csv",
            description = "The stream the ensemble never saw, CSV with a label column, as wide as the stack's data "
                    + "(default: ${DEFAULT-VALUE}, the seed tutorial's scikit-learn data).")
    Path stream;

    @Option(names = "--records", paramLabel = "N", defaultValue = "100000",
            description = "Records of --stream (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--last", paramLabel = "N", defaultValue = "50000",
            description = "The accuracies are over its last N records (default: ${DEFAULT-VALUE}).")
    long last;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + StreamOptions.STACK_REPEAT,
            description = "Passes over the stack's training split first (default: ${DEFAULT-VALUE}, as ./kd stack).")
    int epochs;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Runs, each with its own shuffles (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    StackEnsembleOption stack;

    @Override
    public Integer call() {
        if (runs < 1 || epochs < 1 || records < 1 || last < 1 || last > records) {
            throw new IllegalArgumentException("--runs, --epochs and --records must be >= 1, --last in 1..--records");
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(MachineInfo.describe());
        final TrainTestSplit.Split own = TrainTestSplit.seedDefault();
        final Dataset unseen = CsvDatasetReader.read(stream);
        if (unseen.features()[0].length != own.train().features()[0].length) {
            throw new IllegalArgumentException(stream + " has " + unseen.features()[0].length + " features; the "
                    + "stack's data " + own.train().features()[0].length);
        }
        final TeacherEnsemble ensemble = stack.load(own.train(), out);
        final TrainerSetup setup = TrainerSetup.of(ensemble.manifest());
        final int passes = (int) Math.ceil((double) records / unseen.features().length);
        out.printf(Locale.ROOT, "first %d passes of the stack's stream, then %,d records of %s; accuracies over the "
                + "last %,d (prequential: each record scored before it is learnt)%n", epochs, records, stream, last);
        out.printf(Locale.ROOT, "%-4s %10s %22s %22s %10s %7s%n", "run", "teacher %", "distilled, trust %",
                "distilled, no trust %", "baseline %", "trust");
        out.flush();
        final List<StaleTeacherRun.Result> trusted = new ArrayList<>();
        final List<StaleTeacherRun.Result> plain = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            final long seed = StreamOptions.DEFAULT_SEED + run;
            for (final boolean trust : new boolean[] {true, false}) {
                final FeatureStream before = FeatureStream.of(own.train(), own.test(),
                        StreamOptions.defaults().withRepeat(epochs).withSeed(seed));
                final FeatureStream after = FeatureStream.of(unseen, StreamOptions.defaults().withRepeat(passes)
                        .withCount(records).withSeed(seed));
                final StaleTeacherRun.Result r = new StaleTeacherRun(ensemble, setup, trust)
                        .run(before, own.train(), own.test(), after, unseen, last);
                (trust ? trusted : plain).add(r);
            }
            final StaleTeacherRun.Result t = trusted.get(run);
            out.printf(Locale.ROOT, "%-4d %10.2f %22.2f %22.2f %10.2f %7.2f%n", run + 1, 100 * t.teacher(),
                    100 * t.distilled(), 100 * plain.get(run).distilled(), 100 * t.baseline(), t.trust());
            out.flush();
        }
        out.printf(Locale.ROOT, "mean %10s %22s %22s %10s%n", summary(trusted, StaleTeacherRun.Result::teacher),
                summary(trusted, StaleTeacherRun.Result::distilled), summary(plain, StaleTeacherRun.Result::distilled),
                summary(trusted, StaleTeacherRun.Result::baseline));
        return 0;
    }

    private static String summary(final List<StaleTeacherRun.Result> rs,
                                  final ToDoubleFunction<StaleTeacherRun.Result> f) {
        final double[] v = rs.stream().mapToDouble(f).map(x -> 100 * x).toArray();
        final Stats s = Stats.of(v);
        return String.format(Locale.ROOT, "%.2f +- %.2f", s.mean(), s.std());
    }
}
