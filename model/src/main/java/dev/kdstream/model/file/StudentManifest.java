package dev.kdstream.model.file;

import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.kernel.Standardizer;

/**
 * What a saved student is.
 *
 * @param role            "distilled" or "baseline" (the hard-label control arm)
 * @param version         increases with every checkpoint of the same trainer
 * @param ensembleVersion the ensemble whose soft targets it learned from
 */
public record StudentManifest(String kind, int formatVersion, String role, long version, int inputWidth,
                              int numClasses, Hyperparameters.Student hyperparameters,
                              Hyperparameters.Distillation distillation, long parameters,
                              Standardizer scaler, String ensembleVersion) {

    public static final String KIND = "student";
    public static final int FORMAT_VERSION = 1;
    public static final String DISTILLED = "distilled";
    public static final String BASELINE = "baseline";

    public StudentManifest withVersion(final long newVersion) {
        return new StudentManifest(kind, formatVersion, role, newVersion, inputWidth, numClasses, hyperparameters,
                distillation, parameters, scaler, ensembleVersion);
    }

    /** The hyper-parameters it trains with from now on (a live change). */
    public StudentManifest withTraining(final Hyperparameters.Student student,
                                        final Hyperparameters.Distillation newDistillation) {
        return new StudentManifest(kind, formatVersion, role, version, inputWidth, numClasses, student,
                newDistillation, parameters, scaler, ensembleVersion);
    }
}
