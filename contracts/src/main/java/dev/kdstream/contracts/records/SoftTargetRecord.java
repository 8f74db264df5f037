package dev.kdstream.contracts.records;

/**
 * A record on the {@code soft-targets} topic: the feature record plus what the ensemble made of it
 * (its bytes: {@link SoftTargetCodec}). A {@link Selection#LABEL_ONLY} record, labelled and not
 * annotated under a teacher budget, has no teacher output.
 *
 * @param teacherLogits   mean of the teachers' logits, null when not annotated
 * @param softTargets     softmax(teacherLogits / temperature), null when not annotated
 * @param ensembleVersion the ensemble that made them (or would have)
 * @param selection       why the record is here
 */
public record SoftTargetRecord(String id, long ts, double[] features, Integer label, String split,
                               double[] teacherLogits, double[] softTargets, double temperature,
                               String ensembleVersion, Selection selection) {

    private static final double[] NO_FEATURES = new double[0];

    /**
     * Without a selection: a soft target of an earlier kd-stream (format 1 or JSON), written when
     * every record was annotated: uniform, or holdout. Whether the fields fit the selection is the
     * reader's to check ({@link SoftTargetCodec}, the trainer's decoder), with a reason.
     */
    public SoftTargetRecord {
        if (selection == null) {
            selection = Selection.unbudgeted(FeatureRecord.HOLDOUT.equals(split));
        }
    }

    /** An annotated record drawn uniformly (every record at a budget of 1.0). */
    public SoftTargetRecord(final String id, final long ts, final double[] features, final Integer label,
                            final String split, final double[] teacherLogits, final double[] softTargets,
                            final double temperature, final String ensembleVersion) {
        this(id, ts, features, label, split, teacherLogits, softTargets, temperature, ensembleVersion, null);
    }

    public static SoftTargetRecord of(final FeatureRecord f, final double[] teacherLogits, final double[] softTargets,
                                      final double temperature, final String ensembleVersion) {
        return of(f, teacherLogits, softTargets, temperature, ensembleVersion, null);
    }

    /** Annotated, for the reason {@code selection}. */
    public static SoftTargetRecord of(final FeatureRecord f, final double[] teacherLogits, final double[] softTargets,
                                      final double temperature, final String ensembleVersion,
                                      final Selection selection) {
        return new SoftTargetRecord(f.id(), f.ts(), f.features(), f.label(), f.split(), teacherLogits, softTargets,
                temperature, ensembleVersion, selection);
    }

    /** A labelled record the teacher did not annotate: it trains on its label alone. */
    public static SoftTargetRecord labelOnly(final FeatureRecord f, final double temperature,
                                             final String ensembleVersion) {
        return new SoftTargetRecord(f.id(), f.ts(), f.features(), f.label(), f.split(), null, null, temperature,
                ensembleVersion, Selection.LABEL_ONLY);
    }

    /**
     * An unlabelled record the teacher did not annotate, passed on for a label that may come later
     * ({@link Selection#UNANNOTATED}).
     */
    public static SoftTargetRecord unannotated(final FeatureRecord f, final double temperature,
                                               final String ensembleVersion) {
        return new SoftTargetRecord(f.id(), f.ts(), f.features(), null, f.split(), null, null, temperature,
                ensembleVersion, Selection.UNANNOTATED);
    }

    /** A label from the {@code labels} topic, forwarded by the teacher to be joined to its record. */
    public static SoftTargetRecord lateLabel(final LabelRecord l, final double temperature,
                                             final String ensembleVersion) {
        return new SoftTargetRecord(l.id(), l.ts(), NO_FEATURES, l.label(), FeatureRecord.TRAIN, null, null,
                temperature, ensembleVersion, Selection.LATE_LABEL);
    }

    /** The same record with the label that came for it later. */
    public SoftTargetRecord withLabel(final int label) {
        return new SoftTargetRecord(id, ts, features, label, split, teacherLogits, softTargets, temperature,
                ensembleVersion, selection == Selection.UNANNOTATED ? Selection.LABEL_ONLY : selection);
    }

    /** Whether it is a label for a record sent before, not a record ({@link Selection#LATE_LABEL}). */
    public boolean lateLabel() {
        return selection == Selection.LATE_LABEL;
    }

    /** Whether it re-teaches a refreshed ensemble's window ({@link Selection#REHEARSAL}), not a stream record. */
    public boolean rehearsal() {
        return selection == Selection.REHEARSAL;
    }

    public boolean labelled() {
        return label != null;
    }

    public boolean holdout() {
        return FeatureRecord.HOLDOUT.equals(split);
    }

    /** Whether it has teacher logits and soft targets. */
    public boolean annotated() {
        return selection.annotated();
    }
}
