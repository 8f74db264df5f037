package dev.kdstream.launcher.offline;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.dashboard.report.Report;
import dev.kdstream.launcher.cli.DataOptions;
import dev.kdstream.launcher.cli.HyperparameterOptions;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.MlpShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "offline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the seed experiment offline: trains the teacher ensemble, makes soft targets, distils the "
                    + "student, trains the hard-label baseline, and evaluates the three on the test split.",
            "",
            "Default data: make_classification-style synthetic data, 5,000 x 20 (10 informative, 5 redundant), "
                    + "80/20 split. Progress goes to stderr, the summary to stdout."},
        footer = {"", "Examples:",
            "  ./kd offline",
            "  ./kd offline --seeds 10 --json results.json",
            "  ./kd offline --seeds 3 --plot offline-report",
            "  ./kd offline --train train.csv --test test.csv --seeds 10"})
public final class OfflineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    HyperparameterOptions hyper;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "Repeat with N model seeds and report mean and std (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed-offset", paramLabel = "K", defaultValue = "0",
            description = "First model seed (default: ${DEFAULT-VALUE}); runs use K..K+N-1.")
    long seedOffset;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path json;

    @Option(names = "--save", paramLabel = "DIR",
            description = "Save the first run's ensemble and students (ensemble.kdm, student-*.kdm) here.")
    Path saveDir;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Also score both students on the test split after every epoch and write the learning "
                    + "curves here: PNG charts and one self-contained report.html (the students' timings then "
                    + "include the scoring).")
    Path plot;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final Hyperparameters hp = hyper.toHyperparameters();
        final TrainTestSplit.Split split = data.load();
        final OfflineExperiment experiment = new OfflineExperiment(split.train(), split.test(), hp, !quiet);
        final int classes = Math.max(split.train().numClasses(), split.test().numClasses());
        final String description = String.format("train %s (%d x %d), test %s (%d), %d classes, T=%s, alpha=%s",
                split.train().source(), split.train().size(), split.train().width(), split.test().source(),
                split.test().size(), classes, hp.distillation().temperature(), hp.distillation().alpha());
        out.println("kd offline: " + description);

        final List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            final RunResult r = experiment.run(seedOffset + i, i == 0 ? saveDir : null, plot != null);
            OfflineSummary.printRun(out, r);
            runs.add(r);
        }
        final OfflineSummary summary = new OfflineSummary(runs,
                MlpShape.of(split.train().width(), hp.teacher().hidden(), classes).parameterCount(),
                hp.teacher().count(),
                MlpShape.of(split.train().width(), hp.student().hidden(), classes).parameterCount(),
                description);
        summary.print(out);
        if (saveDir != null) {
            out.println("saved the first run's models in " + saveDir);
        }
        if (plot != null) {
            final List<Path> written = Report.write(plot, "kd-stream offline experiment", description,
                    OfflinePlot.figures(summary, runs), OfflinePlot.charts(runs));
            out.println("plot: " + written.get(written.size() - 1) + " (" + (written.size() - 1) + " charts)");
        }
        if (json != null) {
            final Path parent = json.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), summary.toJson());
            out.println("wrote " + json);
        }
        return 0;
    }
}
