package dev.kdstream.contracts.records;

/**
 * A record on the {@code soft-targets} topic: the feature record plus what the ensemble made of it
 * (its bytes: {@link SoftTargetCodec}).
 *
 * @param teacherLogits   mean of the teachers' logits
 * @param softTargets     softmax(teacherLogits / temperature)
 * @param ensembleVersion the ensemble that made them
 */
public record SoftTargetRecord(String id, long ts, double[] features, Integer label, String split,
                               double[] teacherLogits, double[] softTargets, double temperature,
                               String ensembleVersion) {

    public static SoftTargetRecord of(final FeatureRecord f, final double[] teacherLogits, final double[] softTargets,
                                      final double temperature, final String ensembleVersion) {
        return new SoftTargetRecord(f.id(), f.ts(), f.features(), f.label(), f.split(), teacherLogits, softTargets,
                temperature, ensembleVersion);
    }

    public boolean labelled() {
        return label != null;
    }

    public boolean holdout() {
        return FeatureRecord.HOLDOUT.equals(split);
    }
}
