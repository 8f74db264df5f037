package dev.kdstream.model.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.Fixtures;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.eval.Accuracy;

class EnsembleFileTest {

    private static Dataset data;
    private static TeacherEnsemble ensemble;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        data = Fixtures.data(300, 7);
        ensemble = Fixtures.ensemble(data);
    }

    private INDArray x() {
        return Nd4j.createFromArray(ensemble.manifest().scaler().transform(data.features()));
    }

    @Test
    void ensembleLogitsAreTheMeanOfTheTeachersLogits() {
        final INDArray x = x();
        INDArray sum = null;
        for (final var g : ensemble.groups()) {
            for (final INDArray out : g.output(false, Networks.teacherInputs(g, x))) {
                sum = sum == null ? out.dup() : sum.add(out);
            }
        }
        assertThat(ensemble.logits(x).toFloatMatrix()).isDeepEqualTo(sum.div(4).toFloatMatrix());
        final float[][] soft = ensemble.softTargets(ensemble.logits(x)).toFloatMatrix();
        assertThat(soft[0][0] + soft[0][1] + soft[0][2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(Accuracy.of(ensemble.logits(x), data.labels())).isGreaterThan(0.8);
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs() {
        final Path file = dir.resolve("ensemble.kdm");
        EnsembleFile.save(ensemble, file);
        final TeacherEnsemble loaded = EnsembleFile.load(file);
        assertThat(loaded.manifest().versionId()).isEqualTo("ensemble-test");
        assertThat(loaded.manifest().scaler()).isEqualTo(ensemble.manifest().scaler());
        assertThat(loaded.manifest().hyperparameters()).isEqualTo(ensemble.manifest().hyperparameters());
        assertThat(loaded.logits(x()).toFloatMatrix()).isDeepEqualTo(ensemble.logits(x()).toFloatMatrix());
    }

    @Test
    void corruptFilesFailWithAMessageNamingTheFile() throws IOException {
        final Path garbage = Files.writeString(dir.resolve("garbage.kdm"), "this is not a model");
        assertThatThrownBy(() -> EnsembleFile.load(garbage))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("garbage.kdm").hasMessageContaining("not a kd-stream model file");

        final Path good = dir.resolve("good.kdm");
        EnsembleFile.save(ensemble, good);
        final byte[] bytes = Files.readAllBytes(good);
        final Path truncated = Files.write(dir.resolve("truncated.kdm"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> EnsembleFile.load(truncated))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("truncated.kdm");

        assertThatThrownBy(() -> EnsembleFile.load(dir.resolve("missing.kdm")))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("not found");
    }

    @Test
    void aStudentFileIsNotAnEnsemble() {
        final Path file = dir.resolve("student.kdm");
        StudentFile.save(StudentModel.create(StudentManifest.DISTILLED, Fixtures.FEATURES, Fixtures.CLASSES,
                Fixtures.smallHyperparameters(), ensemble.manifest().scaler(), "ensemble-test", 3), file);
        assertThatThrownBy(() -> EnsembleFile.load(file))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("is a 'student' model file, expected 'teacher-ensemble'");
    }

    @Test
    void mismatchedDataIsRefusedWithTheShapes() {
        assertThatThrownBy(() -> ensemble.requireFits(20, 2, "other.csv"))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("trained on 6 features and 3 classes, but other.csv has 20 features");
    }
}
