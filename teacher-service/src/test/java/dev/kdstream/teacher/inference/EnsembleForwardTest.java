package dev.kdstream.teacher.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.model.Fixtures;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.MlpShape;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Standardizer;

class EnsembleForwardTest {

    private static final int FEATURES = 20;
    private static final int CLASSES = 2;

    private static TeacherEnsemble defaultShape;

    @BeforeAll
    static void buildDefaultShape() {
        defaultShape = untrained(Hyperparameters.defaults(), FEATURES, CLASSES);
    }

    /** The seed's 12 teachers (20-256-128-64-2, two groups of 6), untrained: random weights and biases. */
    static TeacherEnsemble untrained(final Hyperparameters hp, final int features, final int classes) {
        final Hyperparameters.Teacher t = hp.teacher();
        final List<ComputationGraph> groups = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        for (int g = 0; g < t.groups(); g++) {
            final int size = t.count() / t.groups() + (g < t.count() % t.groups() ? 1 : 0);
            groups.add(Networks.teacherGroup(features, classes, t, size, 100 + g));
            sizes.add(size);
        }
        final double[] mean = new double[features];
        final double[] std = new double[features];
        Arrays.fill(std, 1.0);
        final EnsembleManifest manifest = new EnsembleManifest(EnsembleManifest.KIND, EnsembleManifest.FORMAT_VERSION,
                "ensemble-untrained", Instant.now().toString(), features, classes, t.count(), sizes,
                hp.distillation().temperature(), MlpShape.of(features, t.hidden(), classes).parameterCount(),
                new Standardizer(mean, std), hp, "untrained");
        return new TeacherEnsemble(manifest, groups);
    }

    @Test
    void equalsTheDl4jEnsembleAtEveryBatchSizeUpToTheMaximum() {
        assertThat(defaultShape.manifest().teacherCount()).isEqualTo(12);
        final EnsembleForward fused = EnsembleForward.of(defaultShape, 1024);
        for (final int n : new int[] {1, 7, 64, 1024, 7}) {
            final INDArray x = Nd4j.randn(DataType.FLOAT, n, FEATURES);
            assertClose(fused.logits(x), defaultShape.logits(x));
        }
    }

    @Test
    void cutsBatchesLargerThanTheBuffersIntoChunks() {
        final EnsembleForward fused = EnsembleForward.of(defaultShape, 64);
        final INDArray x = Nd4j.randn(DataType.FLOAT, 150, FEATURES);
        assertClose(fused.logits(x), defaultShape.logits(x));
    }

    @Test
    void cutsAColumnMajorBatchLargerThanTheBuffersIntoChunks() {
        // a row block of a column-major matrix is not contiguous: BLAS cannot read it as it is
        final EnsembleForward fused = EnsembleForward.of(defaultShape, 64);
        final INDArray x = Nd4j.randn(DataType.FLOAT, 150, FEATURES).dup('f');
        assertClose(fused.logits(x), defaultShape.logits(x));
    }

    @Test
    void takesDoubleAndColumnMajorInputs() {
        final EnsembleForward fused = EnsembleForward.of(defaultShape, 32);
        final INDArray x = Nd4j.randn(DataType.DOUBLE, 10, FEATURES).dup('f');
        assertClose(fused.logits(x), defaultShape.logits(x.castTo(DataType.FLOAT)));
    }

    @Test
    void equalsATrainedEnsembleOfAnotherShape() {
        final TeacherEnsemble trained = Fixtures.ensemble(Fixtures.data(300, 5));
        final EnsembleForward fused = EnsembleForward.of(trained, 16);
        final INDArray x = Nd4j.randn(DataType.FLOAT, 16, Fixtures.FEATURES);
        final INDArray logits = fused.logits(x);
        assertClose(logits, trained.logits(x));
        assertThat(logits.size(1)).isEqualTo(Fixtures.CLASSES);
    }

    @Test
    void copiesTheWeightsWhenBuilt() {
        final TeacherEnsemble ensemble = untrained(Hyperparameters.defaults()
                .withTeacher(new Hyperparameters.Teacher(2, List.of(8), 0.0, 1e-3, 1, 8, 1)), 4, 3);
        final EnsembleForward fused = EnsembleForward.of(ensemble, 4);
        final INDArray x = Nd4j.randn(DataType.FLOAT, 3, 4);
        final INDArray before = fused.logits(x).dup();
        ensemble.groups().get(0).params().addi(1.0);
        assertClose(fused.logits(x), before);
    }

    @Test
    void rejectsFeaturesOfTheWrongWidth() {
        final EnsembleForward fused = EnsembleForward.of(defaultShape, 8);
        assertThatThrownBy(() -> fused.logits(Nd4j.zeros(DataType.FLOAT, 2, FEATURES + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[n x 20]");
    }

    /** Within 1e-4 of the reference's largest magnitude (float sums in another order). */
    private static void assertClose(final INDArray actual, final INDArray expected) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        final double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-3);
        final double worst = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE))
                .amaxNumber().doubleValue();
        assertThat(worst / scale).as("max |fused - dl4j| / max |dl4j|").isLessThan(1e-4);
    }
}
