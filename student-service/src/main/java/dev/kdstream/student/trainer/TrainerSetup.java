package dev.kdstream.student.trainer;

import java.util.HashMap;
import java.util.Map;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Standardizer;

/**
 * What the trainer takes from the ensemble: soft-target features arrive raw, so the students
 * use the ensemble's scaler, and its width, classes, temperature and alpha.
 *
 * @param ensembleVersion stamped on checkpoints until the first record names the one it came from
 */
public record TrainerSetup(Standardizer scaler, int inputWidth, int classes, Hyperparameters hyperparameters,
                           String ensembleVersion) {

    /** The seed of a fresh trainer's students (both: the loss is the only difference between them). */
    public static final long STUDENT_SEED = 42;

    public TrainerSetup {
        if (scaler.width() != inputWidth) {
            throw new IllegalArgumentException("scaler has " + scaler.width() + " columns but the input is "
                    + inputWidth + " wide");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
    }

    /** Default student hyper-parameters, with the ensemble's temperature and alpha. */
    public static TrainerSetup of(final EnsembleManifest manifest) {
        final double alpha = manifest.hyperparameters() != null
                ? manifest.hyperparameters().distillation().alpha()
                : Hyperparameters.defaults().distillation().alpha();
        final Hyperparameters hp = Hyperparameters.defaults()
                .withDistillation(new Hyperparameters.Distillation(manifest.temperature(), alpha));
        return new TrainerSetup(manifest.scaler(), manifest.inputWidth(), manifest.numClasses(), hp,
                manifest.versionId());
    }

    /**
     * The defaults of {@link #of(EnsembleManifest)} with this trainer's own settings laid over them
     * ({@link StudentTuning#KEYS}: hidden widths, T, alpha, learning rate, weight decay), checked.
     */
    public static TrainerSetup of(final EnsembleManifest manifest, final KdConfig config) {
        final TrainerSetup defaults = of(manifest);
        final Map<String, String> own = new HashMap<>();
        for (final ConfigKey k : StudentTuning.KEYS) {
            own.put(k.key(), config.get(k));
        }
        return new TrainerSetup(defaults.scaler, defaults.inputWidth, defaults.classes,
                StudentTuning.apply(defaults.hyperparameters, own), defaults.ensembleVersion);
    }

    public double temperature() {
        return hyperparameters.distillation().temperature();
    }
}
