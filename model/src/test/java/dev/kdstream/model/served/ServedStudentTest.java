package dev.kdstream.model.served;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.kernel.Standardizer;

class ServedStudentTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void equalsDl4jForTwoClassesOfTwentyFeatures() {
        checkAgainstDl4j(20, 2, List.of(64, 32), 11);
    }

    @Test
    void equalsDl4jForTenClassesOfSixtyFourFeatures() {
        checkAgainstDl4j(64, 10, List.of(64, 32), 12);
    }

    @Test
    void equalsDl4jWithOneHiddenLayer() {
        checkAgainstDl4j(5, 3, List.of(7), 13);
    }

    private static void checkAgainstDl4j(final int width, final int classes, final List<Integer> hidden,
                                         final long seed) {
        final Standardizer scaler = TestStudents.scaler(width, seed);
        // a large step size, so a few steps move the weights well away from their initial values
        final StudentModel student = StudentModel.create(StudentManifest.DISTILLED, width, classes,
                TestStudents.hyperparameters(hidden, 0.05), scaler, TestStudents.ENSEMBLE, seed);
        final double[][] raw = TestStudents.rawFeatures(200, scaler, seed + 1);

        final double[][] initial = assertSameAsDl4j(student, raw);
        train(student, scaler, classes, seed + 2);
        final double[][] trained = assertSameAsDl4j(student, raw);

        double moved = 0;
        for (int i = 0; i < raw.length; i++) {
            for (int k = 0; k < classes; k++) {
                moved = Math.max(moved, Math.abs(trained[i][k] - initial[i][k]));
            }
        }
        assertThat(moved).as("training changed the logits").isGreaterThan(0.1);
    }

    /** @return DL4J's logits */
    private static double[][] assertSameAsDl4j(final StudentModel student, final double[][] raw) {
        final Standardizer scaler = student.manifest().scaler();
        final double[][] expected = student.logits(Nd4j.createFromArray(scaler.transform(raw))).toDoubleMatrix();
        final ServedStudent served = ServedStudent.of(student);
        for (int i = 0; i < raw.length; i++) {
            final double[] logits = served.logits(raw[i]);
            assertThat(logits).hasSize(expected[i].length);
            for (int k = 0; k < logits.length; k++) {
                assertThat(logits[k]).as("row %d class %d", i, k).isCloseTo(expected[i][k], within(TOLERANCE));
            }
            final double[] p = served.probabilities(raw[i]);
            final double[] q = Probabilities.softmax(expected[i]);
            double sum = 0;
            for (int k = 0; k < p.length; k++) {
                assertThat(p[k]).isCloseTo(q[k], within(TOLERANCE));
                sum += p[k];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-12));
            assertThat(Probabilities.argmax(served.logits(raw[i]))).isEqualTo(Probabilities.argmax(logits));
        }
        return expected;
    }

    private static void train(final StudentModel student, final Standardizer scaler, final int classes,
                              final long seed) {
        final Random rng = new Random(seed);
        for (int step = 0; step < 20; step++) {
            final double[][] raw = TestStudents.rawFeatures(32, scaler, rng.nextLong());
            final float[][] soft = new float[raw.length][classes];
            final int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                float sum = 0;
                for (int k = 0; k < classes; k++) {
                    soft[i][k] = rng.nextFloat() + 0.01f;
                    sum += soft[i][k];
                }
                for (int k = 0; k < classes; k++) {
                    soft[i][k] /= sum;
                }
                labels[i] = i % 4 == 0 ? LabelMatrix.UNLABELLED : rng.nextInt(classes);
            }
            final INDArray x = Nd4j.createFromArray(scaler.transform(raw));
            student.network().fit(x, LabelMatrix.of(soft, labels, classes));
        }
    }

    @Test
    void studentsOfDifferentShapesTakeTurnsOnOneThread() {
        // the per-thread buffers are shared by every instance: a wide student after a narrow one
        // must not read past (or keep values from) the narrow one's buffers
        final StudentModel narrow = TestStudents.student(6, 2, List.of(4), 5);
        final StudentModel wide = TestStudents.student(20, 3, List.of(16, 8), 6);
        final double[][] rawNarrow = TestStudents.rawFeatures(20, narrow.manifest().scaler(), 7);
        final double[][] rawWide = TestStudents.rawFeatures(20, wide.manifest().scaler(), 8);
        for (int round = 0; round < 2; round++) {
            assertSameAsDl4j(narrow, rawNarrow);
            assertSameAsDl4j(wide, rawWide);
        }
    }

    @Test
    void carriesTheVersionsAndShapeOfTheCheckpoint() {
        final StudentModel student = TestStudents.student(6, 4, List.of(5, 3), 1);
        student.setVersion(7);
        final ServedStudent served = ServedStudent.of(StudentFile.fromBytes("test", StudentFile.toBytes(student)));
        assertThat(served.version()).isEqualTo(7);
        assertThat(served.ensembleVersion()).isEqualTo(TestStudents.ENSEMBLE);
        assertThat(served.inputWidth()).isEqualTo(6);
        assertThat(served.numClasses()).isEqualTo(4);
        assertThat(served.widths()).containsExactly(6, 5, 3, 4);
    }

    @Test
    void refusesTheWrongNumberOfFeatures() {
        final ServedStudent served = ServedStudent.of(TestStudents.student(6, 2, List.of(4), 1));
        assertThatThrownBy(() -> served.logits(new double[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 6 features, got 5");
    }

    @Test
    void givesTheSameAnswersFromConcurrentThreads() throws Exception {
        final StudentModel student = TestStudents.student(20, 3, List.of(16, 8), 3);
        final ServedStudent served = ServedStudent.of(student);
        final double[][] raw = TestStudents.rawFeatures(500, student.manifest().scaler(), 4);
        final double[][] expected = new double[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            expected[i] = served.logits(raw[i]);
        }
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            final List<Future<Boolean>> results = pool.invokeAll(List.of(() -> same(served, raw, expected),
                    () -> same(served, raw, expected)));
            for (final Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean same(final ServedStudent served, final double[][] raw, final double[][] expected) {
        for (int repeat = 0; repeat < 20; repeat++) {
            for (int i = 0; i < raw.length; i++) {
                if (!java.util.Arrays.equals(served.logits(raw[i]), expected[i])) {
                    return false;
                }
            }
        }
        return true;
    }
}
