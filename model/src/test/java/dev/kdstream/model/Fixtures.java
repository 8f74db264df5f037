package dev.kdstream.model;

import java.time.Instant;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.SyntheticDataset;
import dev.kdstream.contracts.data.SyntheticSpec;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.MlpShape;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Standardizer;

/** Small data and a small trained ensemble, for model tests that must run in seconds. */
public final class Fixtures {

    public static final int FEATURES = 6;
    public static final int CLASSES = 3;

    private Fixtures() {
    }

    public static Dataset data(final int samples, final long seed) {
        return SyntheticDataset.generate(new SyntheticSpec(samples, FEATURES, 4, 1, 0, CLASSES, 1, 1.5, 0.0, seed));
    }

    public static Hyperparameters smallHyperparameters() {
        final Hyperparameters d = Hyperparameters.defaults();
        return d.withTeacher(new Hyperparameters.Teacher(4, List.of(32, 16), 0.3, 1e-2, 15, 32, 2))
                .withStudent(new Hyperparameters.Student(List.of(8), 1e-2, 1e-4, 30, 32));
    }

    /** Two fused groups of two teachers, trained briefly so that they are not random. */
    public static TeacherEnsemble ensemble(final Dataset train) {
        final Hyperparameters hp = smallHyperparameters();
        final Standardizer scaler = Standardizer.fit(train);
        final INDArray x = Nd4j.createFromArray(scaler.transform(train.features()));
        final INDArray y = LabelMatrix.hard(train.labels(), train.numClasses());
        final List<ComputationGraph> groups = List.of(
                Networks.teacherGroup(FEATURES, CLASSES, hp.teacher(), 2, 1),
                Networks.teacherGroup(FEATURES, CLASSES, hp.teacher(), 2, 2));
        for (final ComputationGraph g : groups) {
            for (int step = 0; step < 100; step++) {
                g.fit(new MultiDataSet(new INDArray[] {x, x}, new INDArray[] {y, y}));
            }
        }
        final EnsembleManifest manifest = new EnsembleManifest(EnsembleManifest.KIND, EnsembleManifest.FORMAT_VERSION,
                "ensemble-test", Instant.now().toString(), FEATURES, CLASSES, 4, List.of(2, 2),
                hp.distillation().temperature(), MlpShape.of(FEATURES, hp.teacher().hidden(), CLASSES).parameterCount(),
                scaler, hp, train.source());
        return new TeacherEnsemble(manifest, groups);
    }
}
