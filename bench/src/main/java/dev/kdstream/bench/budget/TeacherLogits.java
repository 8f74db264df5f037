package dev.kdstream.bench.budget;

import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.definition.TeacherEnsemble;

/**
 * The ensemble's logits for every training and holdout row, computed once: a stream record's id
 * ({@code p<pass>-<row>}, {@code h<pass>-<row>}, see {@code FeatureStream}) names the row it came
 * from, of the training data or, for a stream with explicit holdout data (the only kind the
 * benchmark makes), of that.
 */
final class TeacherLogits {

    private final TeacherEnsemble ensemble;
    private final Dataset holdout;
    private final double[][] train;
    private final double[][] test;

    TeacherLogits(final TeacherEnsemble ensemble, final Dataset train, final Dataset holdout) {
        this.ensemble = ensemble;
        this.holdout = holdout;
        this.train = logits(ensemble, train);
        this.test = logits(ensemble, holdout);
    }

    private static double[][] logits(final TeacherEnsemble ensemble, final Dataset data) {
        return ensemble.logits(Nd4j.createFromArray(ensemble.manifest().scaler().transform(data.features())))
                .toDoubleMatrix();
    }

    TeacherEnsemble ensemble() {
        return ensemble;
    }

    Dataset holdout() {
        return holdout;
    }

    double[] holdoutLogits(final int row) {
        return test[row];
    }

    /** The logits of the row {@code m} came from. */
    double[] logits(final FeatureMessage m) {
        final int row = Integer.parseInt(m.id().substring(m.id().indexOf('-') + 1));
        return m.holdout() ? test[row] : train[row];
    }
}
