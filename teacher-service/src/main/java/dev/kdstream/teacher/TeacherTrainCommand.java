package dev.kdstream.teacher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.console.ProgressBar;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.teacher.training.EnsembleTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./kd teacher train}: trains the ensemble and saves it where {@code teacher serve} looks. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Trains the teacher ensemble on 80%% of the data, reports its accuracy on the held-out 20%% and saves "
                    + "it (scaler and temperature included) as one model file.",
            "",
            "Default data: the seed's synthetic data, 5,000 x 20, 2 classes (the producer's default stream). "
                    + "Progress goes to stderr."},
        footer = {"", "Examples:",
            "  ./kd teacher train",
            "  ./kd teacher train --teachers 4 --teacher-epochs 10 --out /tmp/small.kdm",
            "  ./kd teacher train --train train.csv"})
public final class TeacherTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file; its model.dir / ensemble.file give the default --out.")
    Path configFile;

    @Option(names = "--train", paramLabel = "FILE",
            description = "Training CSV: a header row, numeric feature columns and a 'label' column (class index). "
                    + "Default: the seed's synthetic data.")
    Path train;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to save the ensemble (default: ensemble.file, else <model.dir>/ensemble.kdm).")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Model seed: teacher g of a run with seed S is initialised from S and g (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--teachers", paramLabel = "N", defaultValue = "12",
            description = "Teachers in the ensemble (default: ${DEFAULT-VALUE}).")
    int teachers;

    @Option(names = "--teacher-epochs", paramLabel = "N", defaultValue = "30",
            description = "Training epochs of each teacher (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        final PrintWriter console = spec.commandLine().getOut();
        final KdConfig config = KdConfig.fromEnvironment(configFile, Map.of());
        final Path file = out != null ? out : config.ensembleFile();
        final Hyperparameters hp = TeacherTraining.hyperparameters(teachers, epochs);
        final TrainTestSplit.Split data = train != null ? TeacherTraining.csvData(train) : TrainTestSplit.seedDefault();
        final Dataset trainSet = data.train();
        console.printf(Locale.ROOT, "kd teacher train: %d teachers x %d epochs on %s (%d x %d, %d classes)%n",
                teachers, epochs, trainSet.source(), trainSet.size(), trainSet.width(), trainSet.numClasses());
        console.flush();

        final TeacherTraining.Result result = TeacherTraining.trainAndSave(data, hp, seed, file, progress(hp, quiet));
        final EnsembleManifest m = result.ensemble().manifest();
        console.printf(Locale.ROOT, "ensemble %s: held-out accuracy %.4f (%d records), T = %s%n", m.versionId(),
                result.heldOutAccuracy(), result.heldOutRecords(), m.temperature());
        console.println("saved " + result.file());
        return 0;
    }

    /** A progress bar on stderr over the training's group-epochs (the unit EnsembleTrainer reports), or nothing. */
    static EnsembleTrainer.Progress progress(final Hyperparameters hp, final boolean quiet) {
        if (quiet) {
            return EnsembleTrainer.Progress.NONE;
        }
        final ProgressBar bar = ProgressBar.onStderr("training teachers",
                (long) hp.teacher().groups() * hp.teacher().epochs());
        return (done, total) -> {
            bar.update(done);
            if (done >= total) {
                bar.finish();
            }
        };
    }
}
