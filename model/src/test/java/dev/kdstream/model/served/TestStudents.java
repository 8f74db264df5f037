package dev.kdstream.model.served;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Standardizer;

/** Small students, scalers, checkpoints and feature records for the serving tests. */
public final class TestStudents {

    public static final String TRAINER = "student";
    public static final String ENSEMBLE = "ens-test";

    private TestStudents() {
    }

    public static Hyperparameters hyperparameters(final List<Integer> hidden, final double learningRate) {
        return Hyperparameters.defaults().withStudent(new Hyperparameters.Student(hidden, learningRate, 1e-4, 1, 32));
    }

    /** A scaler far from the identity, so forgetting to apply it shows. */
    public static Standardizer scaler(final int width, final long seed) {
        final Random rng = new Random(seed);
        final double[] mean = new double[width];
        final double[] std = new double[width];
        for (int j = 0; j < width; j++) {
            mean[j] = rng.nextGaussian() * 3;
            std[j] = 0.5 + rng.nextDouble() * 2;
        }
        return new Standardizer(mean, std);
    }

    public static StudentModel student(final int width, final int classes, final List<Integer> hidden, final long seed) {
        return StudentModel.create(StudentManifest.DISTILLED, width, classes, hyperparameters(hidden, 1e-3),
                scaler(width, 42), ENSEMBLE, seed);
    }

    /** Raw features around the scaler's mean. */
    public static double[][] rawFeatures(final int rows, final Standardizer scaler, final long seed) {
        final Random rng = new Random(seed);
        final double[] mean = scaler.mean();
        final double[] std = scaler.std();
        final double[][] x = new double[rows][mean.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < mean.length; j++) {
                x[i][j] = mean[j] + std[j] * rng.nextGaussian() * 1.5;
            }
        }
        return x;
    }

    public static StudentCheckpoint checkpoint(final long version, final StudentModel student) {
        student.setVersion(version);
        final byte[] bytes = StudentFile.toBytes(student);
        return new StudentCheckpoint(TRAINER, version, version * 100, Map.of(0, version * 100), ENSEMBLE,
                System.currentTimeMillis(), bytes, bytes);
    }

    /** A features value as a producer writes it. */
    public static byte[] featureJson(final String id, final long ts, final double[] features, final Integer label,
                              final String split) {
        final StringBuilder sb = new StringBuilder();
        sb.append("{\"id\":\"").append(id).append("\",\"ts\":").append(ts).append(",\"features\":[");
        for (int j = 0; j < features.length; j++) {
            sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.17g", features[j]));
        }
        sb.append("],\"label\":").append(label).append(",\"split\":\"").append(split).append("\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
