package dev.kdstream.bench;

import java.io.PrintWriter;
import java.nio.file.Path;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.launcher.stack.EnsembleCache;
import dev.kdstream.launcher.stack.StackCommand;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import picocli.CommandLine.Option;

/** The ensemble './kd stack' caches, for the benchmarks that run its stream through the services' code. */
public final class StackEnsembleOption {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = StackCommand.DEFAULT_DATA_DIR,
            description = "Where ./kd stack caches its ensemble: the same one is used (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** The cached ensemble trained on {@code train}, trained and cached now if there is none. */
    public TeacherEnsemble load(final Dataset train, final PrintWriter out) {
        return EnsembleCache.loadOrTrain(StackCommand.modelDir(dataDir), train, Hyperparameters.defaults(), out);
    }
}
