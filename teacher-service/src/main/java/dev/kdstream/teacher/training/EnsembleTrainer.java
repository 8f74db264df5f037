package dev.kdstream.teacher.training;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.MlpShape;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.training.EpochLoop;

/**
 * Trains the teacher ensemble: the teachers are split into fused groups (one ComputationGraph
 * each, see {@link Networks#teacherGroup}) trained in parallel, one Java thread per group, each
 * with a {@link TeacherGroupTrainer} (DL4J's training step on OpenBLAS GEMMs, in place of
 * {@code graph.fit}: docs/benchmarks.md, "Teacher training").
 * ND4J runs on one OpenMP thread, so Java threads are how the second core gets used.
 */
public final class EnsembleTrainer {

    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Told how many group-epochs of the total are done. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void update(int done, int total);
    }

    private EnsembleTrainer() {
    }

    /**
     * @param train  raw training data; the scaler is fitted on it here and saved with the ensemble
     * @param seed   the run's seed: group g is seeded with a value derived from it and g
     */
    public static TeacherEnsemble train(final Dataset train, final Hyperparameters hp, final long seed,
                                        final Progress progress) {
        final Standardizer scaler = Standardizer.fit(train);
        final INDArray x = Nd4j.createFromArray(scaler.transform(train.features()));
        final INDArray y = LabelMatrix.hard(train.labels(), train.numClasses());
        final Hyperparameters.Teacher t = hp.teacher();
        final List<Integer> sizes = groupSizes(t.count(), t.groups());
        final int total = sizes.size() * t.epochs();
        final AtomicInteger done = new AtomicInteger();

        final ExecutorService pool = Executors.newFixedThreadPool(sizes.size(), r -> {
            final Thread thread = new Thread(r, "teacher-training");
            thread.setDaemon(true);
            return thread;
        });
        try {
            final List<Future<ComputationGraph>> futures = new ArrayList<>();
            for (int g = 0; g < sizes.size(); g++) {
                final long groupSeed = seed * 1_000L + g;
                final int branches = sizes.get(g);
                futures.add(pool.submit(() -> trainGroup(x, y, train.width(), train.numClasses(), t, branches,
                        groupSeed, () -> progress.update(done.incrementAndGet(), total))));
            }
            final List<ComputationGraph> groups = new ArrayList<>();
            for (final Future<ComputationGraph> f : futures) {
                groups.add(f.get());
            }
            final EnsembleManifest manifest = new EnsembleManifest(EnsembleManifest.KIND,
                    EnsembleManifest.FORMAT_VERSION, versionId(seed), Instant.now().toString(), train.width(),
                    train.numClasses(), t.count(), sizes, hp.distillation().temperature(),
                    MlpShape.of(train.width(), t.hidden(), train.numClasses()).parameterCount(), scaler, hp,
                    train.source());
            return new TeacherEnsemble(manifest, groups);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("teacher training interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("teacher training failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static ComputationGraph trainGroup(final INDArray x, final INDArray y, final int inputs, final int classes,
                                               final Hyperparameters.Teacher t, final int branches, final long seed,
                                               final Runnable epochDone) {
        final ComputationGraph graph = Networks.teacherGroup(inputs, classes, t, branches, seed);
        // the group seed also draws the dropout masks: a run is reproducible from its seed
        final TeacherGroupTrainer trainer = TeacherGroupTrainer.of(graph, t.batchSize(), seed);
        final long[] orderSeeds = new long[branches];
        for (int b = 0; b < branches; b++) {
            orderSeeds[b] = seed * 100 + b;
        }
        EpochLoop.runIndependentOrders(x, y, t.epochs(), t.batchSize(), orderSeeds, trainer::fit,
                epoch -> epochDone.run());
        trainer.writeTo(graph);
        return graph;
    }

    /** {@code count} teachers over {@code groups} groups, as evenly as possible: 12 over 2 is [6, 6]. */
    public static List<Integer> groupSizes(final int count, final int groups) {
        final List<Integer> sizes = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            sizes.add(count / groups + (g < count % groups ? 1 : 0));
        }
        return sizes;
    }

    private static String versionId(final long seed) {
        return "ensemble-" + VERSION_TIME.format(Instant.now()) + "-s" + seed;
    }
}
