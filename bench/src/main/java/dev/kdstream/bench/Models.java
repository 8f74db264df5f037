package dev.kdstream.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.graph.ComputationGraph;

import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.MlpShape;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Standardizer;

/**
 * The benchmarked models: the seed's shapes (20 features, 2 classes, default hyper-parameters),
 * untrained. Inference time does not depend on the weights' values: every layer is a dense GEMM.
 */
final class Models {

    static final int FEATURES = 20;
    static final int CLASSES = 2;

    private Models() {
    }

    /** 12 teachers 20-256-128-64-2 in two fused groups of 6, as the trainer makes them. */
    static TeacherEnsemble ensemble() {
        final Hyperparameters hp = Hyperparameters.defaults();
        final Hyperparameters.Teacher t = hp.teacher();
        final List<ComputationGraph> groups = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        for (int g = 0; g < t.groups(); g++) {
            final int size = t.count() / t.groups() + (g < t.count() % t.groups() ? 1 : 0);
            groups.add(Networks.teacherGroup(FEATURES, CLASSES, t, size, 1 + g));
            sizes.add(size);
        }
        final EnsembleManifest manifest = new EnsembleManifest(EnsembleManifest.KIND, EnsembleManifest.FORMAT_VERSION,
                "bench-untrained", Instant.now().toString(), FEATURES, CLASSES, t.count(), sizes,
                hp.distillation().temperature(), MlpShape.of(FEATURES, t.hidden(), CLASSES).parameterCount(),
                scaler(), hp, "bench");
        return new TeacherEnsemble(manifest, groups);
    }

    /** The default student, 20-64-32-2. */
    static StudentModel student() {
        return StudentModel.create("distilled", FEATURES, CLASSES, Hyperparameters.defaults(), scaler(),
                "bench-untrained", 7);
    }

    static Standardizer scaler() {
        final double[] mean = new double[FEATURES];
        final double[] std = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            mean[j] = 0.1 * j;
            std[j] = 1.0 + 0.05 * j;
        }
        return new Standardizer(mean, std);
    }

    /** Multiply-adds x 2 per record for the ensemble: 2 * 12 * (20*256 + 256*128 + 128*64 + 64*2). */
    static long ensembleFlopsPerRecord() {
        final Hyperparameters.Teacher t = Hyperparameters.defaults().teacher();
        final List<Integer> widths = new ArrayList<>(t.hidden());
        widths.add(0, FEATURES);
        widths.add(CLASSES);
        long macs = 0;
        for (int l = 1; l < widths.size(); l++) {
            macs += (long) widths.get(l - 1) * widths.get(l);
        }
        return 2L * t.count() * macs;
    }

    static double[] rawRecord(final long seed) {
        final SplittableRandom rng = new SplittableRandom(seed);
        final double[] x = new double[FEATURES];
        Arrays.setAll(x, j -> rng.nextGaussian() * 2);
        return x;
    }
}
