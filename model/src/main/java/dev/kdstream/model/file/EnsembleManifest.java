package dev.kdstream.model.file;

import java.util.List;

import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.kernel.Standardizer;

/**
 * What a saved ensemble is: enough to check it fits the data it is given and to reproduce its
 * soft targets (the scaler is part of the model, since features arrive raw).
 *
 * @param versionId  unique id, stamped on every soft target the ensemble makes
 * @param groupSizes teachers per fused network, in order
 */
public record EnsembleManifest(String kind, int formatVersion, String versionId, String createdAt,
                               int inputWidth, int numClasses, int teacherCount, List<Integer> groupSizes,
                               double temperature, long teacherParams, Standardizer scaler,
                               Hyperparameters hyperparameters, String trainedOn) {

    public static final String KIND = "teacher-ensemble";
    public static final int FORMAT_VERSION = 1;

    public EnsembleManifest {
        groupSizes = List.copyOf(groupSizes);
    }
}
