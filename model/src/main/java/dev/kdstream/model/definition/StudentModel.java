package dev.kdstream.model.definition;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Standardizer;

/**
 * A student network (distilled or baseline) with its manifest. Outputs logits.
 * Not thread-safe (DL4J networks are not).
 */
public final class StudentModel {

    private final MultiLayerNetwork network;
    private StudentManifest manifest;

    public StudentModel(final MultiLayerNetwork network, final StudentManifest manifest) {
        this.network = network;
        this.manifest = manifest;
    }

    /** A freshly initialised student for data of this shape. */
    public static StudentModel create(final String role, final int inputs, final int classes,
                                      final Hyperparameters hp, final Standardizer scaler,
                                      final String ensembleVersion, final long seed) {
        final DistillationLoss loss = StudentManifest.BASELINE.equals(role)
                ? DistillationLoss.hardLabelsOnly() : DistillationLoss.of(hp.distillation());
        final MultiLayerNetwork net = Networks.student(inputs, classes, hp.student(), loss, seed);
        final StudentManifest manifest = new StudentManifest(StudentManifest.KIND, StudentManifest.FORMAT_VERSION,
                role, 0, inputs, classes, hp.student(), hp.distillation(), net.numParams(), scaler, ensembleVersion);
        return new StudentModel(net, manifest);
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public StudentManifest manifest() {
        return manifest;
    }

    /** Records the hyper-parameters it trains with from now on (a live change), in its manifest. */
    public void setTraining(final Hyperparameters.Student student, final Hyperparameters.Distillation distillation) {
        manifest = manifest.withTraining(student, distillation);
    }

    /** Stamps a new version (the trainer does, at each checkpoint). */
    public void setVersion(final long version) {
        manifest = manifest.withVersion(version);
    }

    /** Logits for standardised features, one row per record. */
    public INDArray logits(final INDArray scaledFeatures) {
        return network.output(scaledFeatures, false);
    }

    public long parameterCount() {
        return network.numParams();
    }
}
