package dev.kdstream.teacher;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.SyntheticDataset;
import dev.kdstream.contracts.data.SyntheticSpec;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.teacher.training.EnsembleTrainer;

/**
 * A small ensemble for the tests, trained once per test JVM in about a second: 2 teachers in
 * 2 fused groups (so the ensemble mean crosses groups), 6 features, 3 classes.
 */
public final class TinyEnsemble {

    public static final int WIDTH = 6;
    public static final int CLASSES = 3;

    private static Dataset data;
    private static TeacherEnsemble ensemble;

    private TinyEnsemble() {
    }

    public static synchronized Dataset data() {
        if (data == null) {
            data = SyntheticDataset.generate(new SyntheticSpec(300, WIDTH, 4, 1, 0, CLASSES, 1, 2.0, 0.0, 7));
        }
        return data;
    }

    public static synchronized TeacherEnsemble ensemble() {
        if (ensemble == null) {
            final Hyperparameters hp = Hyperparameters.defaults()
                    .withTeacher(new Hyperparameters.Teacher(2, List.of(16, 8), 0.3, 1e-2, 2, 32, 2));
            ensemble = EnsembleTrainer.train(data(), hp, 5, EnsembleTrainer.Progress.NONE);
        }
        return ensemble;
    }

    /** {@code n} rows of the tiny data's concept with every label moved on by one class: the ensemble is stale on it. */
    public static Dataset swapped(final int n) {
        final Dataset d = data();
        final double[][] x = new double[n][];
        final int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = d.features()[i % d.size()];
            y[i] = (d.labels()[i % d.size()] + 1) % d.numClasses();
        }
        return new Dataset("swapped", x, y, d.numClasses());
    }

    /** A {@code features} record value as the producer writes it; null label and split are left out. */
    public static byte[] featureJson(final String id, final Long ts, final double[] features, final Integer label,
                                     final String split) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        if (ts != null) {
            m.put("ts", ts);
        }
        m.put("features", features);
        if (label != null) {
            m.put("label", label);
        }
        if (split != null) {
            m.put("split", split);
        }
        try {
            return Json.MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
