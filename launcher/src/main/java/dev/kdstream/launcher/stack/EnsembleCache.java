package dev.kdstream.launcher.stack;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.kdstream.contracts.console.ProgressBar;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleFile;
import dev.kdstream.model.file.ModelFileException;
import dev.kdstream.teacher.training.EnsembleTrainer;

/**
 * The stack's ensemble: trained once per dataset and hyper-parameters, then loaded from
 * {@code <dir>/ensemble-<key>.kdm}. The key covers everything the training depends on.
 */
public final class EnsembleCache {

    private static final long SEED = 0;

    private EnsembleCache() {
    }

    public static TeacherEnsemble loadOrTrain(final Path dir, final Dataset train, final Hyperparameters hp,
                                       final PrintWriter out) {
        final String key = Integer.toHexString((train.source() + train.size() + "x" + train.width() + "/"
                + train.numClasses() + hp + SEED).hashCode());
        final Path file = dir.resolve("ensemble-" + key + ".kdm");
        if (Files.exists(file)) {
            try {
                final TeacherEnsemble cached = EnsembleFile.load(file);
                cached.requireFits(train.width(), train.numClasses(), train.source());
                out.println("ensemble:  " + cached.manifest().versionId() + " (cached in " + file + ")");
                return cached;
            } catch (ModelFileException e) {
                out.println("ensemble:  cached file unusable (" + e.getMessage() + "), training again");
            }
        }
        out.printf(Locale.ROOT, "ensemble:  training %d teachers on %s (%d records; cached afterwards)%n",
                hp.teacher().count(), train.source(), train.size());
        out.flush();
        final ProgressBar bar = ProgressBar.onStderr("teachers", (long) hp.teacher().epochs()
                * EnsembleTrainer.groupSizes(hp.teacher().count(), hp.teacher().groups()).size());
        final TeacherEnsemble ensemble = EnsembleTrainer.train(train, hp, SEED, (done, total) -> bar.update(done));
        bar.finish();
        EnsembleFile.save(ensemble, file);
        out.println("ensemble:  " + ensemble.manifest().versionId() + " saved to " + file);
        return ensemble;
    }
}
