package dev.kdstream.model.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.Fixtures;
import dev.kdstream.model.file.ModelFileException;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.training.EpochLoop;

class StudentModelTest {

    private static Dataset data;
    private static TeacherEnsemble ensemble;
    private static INDArray x;
    private static INDArray soft;

    @TempDir
    Path dir;

    @BeforeAll
    static void teacher() {
        data = Fixtures.data(400, 11);
        ensemble = Fixtures.ensemble(data);
        x = Nd4j.createFromArray(ensemble.manifest().scaler().transform(data.features()));
        soft = ensemble.softTargets(ensemble.logits(x));
    }

    private static StudentModel student(final String role, final long seed) {
        return StudentModel.create(role, Fixtures.FEATURES, Fixtures.CLASSES, Fixtures.smallHyperparameters(),
                ensemble.manifest().scaler(), ensemble.manifest().versionId(), seed);
    }

    private static double meanKlToTeacher(final StudentModel s) {
        final double[][] q = soft.toDoubleMatrix();
        final double[][] z = s.logits(x).toDoubleMatrix();
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            sum += Probabilities.klDivergenceToLogits(q[i], z[i], ensemble.manifest().temperature());
        }
        return sum / q.length;
    }

    /** DL4J's own fit(), minibatches of 32: the training these tests check the definition with. */
    private static void fitEpochs(final StudentModel student, final INDArray labels, final int epochs) {
        EpochLoop.runIndices((int) x.size(0), epochs, 32, 1,
                rows -> student.network().fit(Nd4j.pullRows(x, 1, rows), Nd4j.pullRows(labels, 1, rows)),
                EpochLoop.EpochListener.NONE);
    }

    @Test
    void distillationLowersTheStudentsKlToTheTeacher() {
        final StudentModel distilled = student(StudentManifest.DISTILLED, 5);
        final StudentModel baseline = student(StudentManifest.BASELINE, 5);
        final double before = meanKlToTeacher(distilled);
        final INDArray labels = LabelMatrix.of(soft.toFloatMatrix(), data.labels(), Fixtures.CLASSES);
        fitEpochs(distilled, labels, 30);
        fitEpochs(baseline, LabelMatrix.hard(data.labels(), Fixtures.CLASSES), 30);
        final double after = meanKlToTeacher(distilled);
        assertThat(after).isLessThan(before / 4);
        // the baseline never sees the soft targets: it ends further from the teacher
        assertThat(after).isLessThan(meanKlToTeacher(baseline));
    }

    @Test
    void saveAndLoadKeepOutputsAndOptimiserState() {
        final StudentModel s = student(StudentManifest.DISTILLED, 9);
        final INDArray labels = LabelMatrix.of(soft.toFloatMatrix(), data.labels(), Fixtures.CLASSES);
        fitEpochs(s, labels, 2);
        s.setVersion(42);
        final Path file = dir.resolve("student.kdm");
        StudentFile.save(s, file);
        final StudentModel loaded = StudentFile.load(file);
        assertThat(loaded.manifest()).isEqualTo(s.manifest());
        assertThat(loaded.manifest().version()).isEqualTo(42);
        assertThat(loaded.logits(x).toFloatMatrix()).isDeepEqualTo(s.logits(x).toFloatMatrix());

        // Adam's moments came along: one more identical step keeps the two identical
        final INDArray xb = x.getRows(0, 1, 2, 3);
        final INDArray lb = labels.getRows(0, 1, 2, 3);
        s.network().fit(xb, lb);
        loaded.network().fit(xb, lb);
        assertThat(loaded.network().params().toFloatVector()).containsExactly(s.network().params().toFloatVector());

        final StudentModel fromBytes = StudentFile.fromBytes("checkpoint@0", StudentFile.toBytes(s));
        assertThat(fromBytes.logits(x).toFloatMatrix()).isDeepEqualTo(s.logits(x).toFloatMatrix());
    }

    @Test
    void corruptBytesNameTheirOrigin() {
        assertThatThrownBy(() -> StudentFile.fromBytes("student-checkpoints-0@17", new byte[] {1, 2, 3}))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("student-checkpoints-0@17");
    }
}
