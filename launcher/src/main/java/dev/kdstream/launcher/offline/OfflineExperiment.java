package dev.kdstream.launcher.offline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.console.ProgressBar;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.bridge.NetworkBridge;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.eval.Accuracy;
import dev.kdstream.model.file.EnsembleFile;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.kernel.StudentOptimizer;
import dev.kdstream.model.training.EpochLoop;
import dev.kdstream.teacher.training.EnsembleTrainer;

/**
 * The seed experiment, one seed at a time: train the ensemble, make soft targets for the
 * training split, distil the student, train the hard-label baseline, evaluate all three on the
 * test split.
 */
public final class OfflineExperiment {

    private final Dataset train;
    private final Dataset test;
    private final Hyperparameters hp;
    private final boolean showProgress;

    public OfflineExperiment(final Dataset train, final Dataset test, final Hyperparameters hp,
                             final boolean showProgress) {
        if (train.width() != test.width()) {
            throw new IllegalArgumentException(train.source() + " has " + train.width() + " features but "
                    + test.source() + " has " + test.width());
        }
        final int classes = Math.max(train.numClasses(), test.numClasses());
        this.train = train.withNumClasses(classes);
        this.test = test.withNumClasses(classes);
        this.hp = hp;
        this.showProgress = showProgress;
    }

    /**
     * @param saveDir where to save the ensemble and both students, or null
     */
    public RunResult run(final long seed, final Path saveDir) {
        return run(seed, saveDir, false);
    }

    /**
     * @param saveDir       where to save the ensemble and both students, or null
     * @param learningCurve also score both students on the test split after every epoch
     */
    public RunResult run(final long seed, final Path saveDir, final boolean learningCurve) {
        final long start = System.nanoTime();

        final ProgressBar teacherBar = bar("teachers s=" + seed, (long) hp.teacher().epochs()
                * EnsembleTrainer.groupSizes(hp.teacher().count(), hp.teacher().groups()).size());
        final TeacherEnsemble ensemble = EnsembleTrainer.train(train, hp, seed, (done, total) -> teacherBar.update(done));
        teacherBar.finish();
        final long teachersDone = System.nanoTime();

        final Standardizer scaler = ensemble.manifest().scaler();
        final float[][] x = scaler.transform(train.features());
        final INDArray xTrain = Nd4j.createFromArray(x);
        final float[][] xTestRows = scaler.transform(test.features());
        final INDArray xTest = Nd4j.createFromArray(xTestRows);
        final INDArray soft = ensemble.softTargets(ensemble.logits(xTrain));
        final long softDone = System.nanoTime();
        final INDArray ensembleTest = ensemble.logits(xTest);
        // read by both students' threads each epoch: a plain array, taken once
        final long[] ensembleClasses = ensembleTest.argMax(1).toLongVector();

        final StudentModel distilled = StudentModel.create(StudentManifest.DISTILLED, train.width(),
                train.numClasses(), hp, scaler, ensemble.manifest().versionId(), seed * 1_000L + 101);
        final StudentModel baseline = StudentModel.create(StudentManifest.BASELINE, train.width(),
                train.numClasses(), hp, scaler, ensemble.manifest().versionId(), seed * 1_000L + 202);
        final float[][] softRows = soft.toFloatMatrix();

        // The two students are independent: train them side by side, one per core.
        final ProgressBar studentBar = bar("students s=" + seed, 2L * hp.student().epochs());
        final int[] epochs = new int[2];
        final List<RunResult.EpochScore> distilledCurve = new ArrayList<>();
        final List<RunResult.EpochScore> baselineCurve = new ArrayList<>();
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        final double distillSeconds;
        final double baselineSeconds;
        try {
            final CompletableFuture<Double> d = CompletableFuture.supplyAsync(() -> timed(() ->
                    fitStudent(distilled, x, softRows, seed, trainer -> {
                        if (learningCurve) {
                            distilledCurve.add(score(trainer, xTestRows, ensembleClasses));
                        }
                        tick(studentBar, epochs, 0);
                    })), pool);
            final CompletableFuture<Double> b = CompletableFuture.supplyAsync(() -> timed(() ->
                    fitStudent(baseline, x, null, seed + 1, trainer -> {
                        if (learningCurve) {
                            baselineCurve.add(score(trainer, xTestRows, ensembleClasses));
                        }
                        tick(studentBar, epochs, 1);
                    })), pool);
            distillSeconds = d.join();
            baselineSeconds = b.join();
        } finally {
            pool.shutdownNow();
        }
        studentBar.finish();

        final INDArray distilledTest = distilled.logits(xTest);
        final INDArray baselineTest = baseline.logits(xTest);
        final RunResult result = new RunResult(seed,
                Accuracy.of(ensembleTest, test.labels()),
                Accuracy.of(distilledTest, test.labels()),
                Accuracy.of(baselineTest, test.labels()),
                Accuracy.agreement(distilledTest, ensembleTest),
                meanKl(ensemble.softTargets(ensembleTest), distilledTest, hp.distillation().temperature()),
                new RunResult.Outcomes(Accuracy.correct(ensembleTest, test.labels()),
                        Accuracy.correct(distilledTest, test.labels()), Accuracy.correct(baselineTest, test.labels())),
                new RunResult.Timings(seconds(start, teachersDone), seconds(teachersDone, softDone),
                        distillSeconds, baselineSeconds, seconds(start, System.nanoTime())),
                learningCurve ? new RunResult.LearningCurve(x.length, distilledCurve, baselineCurve)
                        : RunResult.LearningCurve.NONE);
        if (saveDir != null) {
            EnsembleFile.save(ensemble, saveDir.resolve("ensemble.kdm"));
            StudentFile.save(distilled, saveDir.resolve("student-distilled.kdm"));
            StudentFile.save(baseline, saveDir.resolve("student-baseline.kdm"));
        }
        return result;
    }

    /**
     * Epochs of minibatch steps by the model kernel ({@link StudentOptimizer}: DL4J's step, loss,
     * L2 and Adam, to float rounding, the same optimiser as the online trainer's); the DL4J network
     * takes the trained weights at the end.
     *
     * @param soft soft targets per row, or null for the hard-label baseline
     */
    private void fitStudent(final StudentModel student, final float[][] x, final float[][] soft, final long seed,
                            final Consumer<StudentOptimizer> epochDone) {
        final StudentOptimizer trainer = NetworkBridge.optimizerOf(student);
        final int[] labels = train.labels();
        EpochLoop.runIndices(x.length, hp.student().epochs(), hp.student().batchSize(), seed, rows -> {
            final float[][] xb = new float[rows.length][];
            final float[][] qb = soft == null ? null : new float[rows.length][];
            final int[] yb = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                xb[i] = x[rows[i]];
                if (qb != null) {
                    qb[i] = soft[rows[i]];
                }
                yb[i] = labels[rows[i]];
            }
            trainer.fit(xb, qb, yb);
        }, epoch -> epochDone.accept(trainer));
        NetworkBridge.write(trainer, student);
    }

    /** The student as it is now, on the test split. */
    private RunResult.EpochScore score(final StudentOptimizer trainer, final float[][] xTestRows,
                                       final long[] ensembleClasses) {
        final double[][] logits = trainer.logits(xTestRows);
        final int[] labels = test.labels();
        final boolean[] correct = new boolean[logits.length];
        int agree = 0;
        for (int i = 0; i < logits.length; i++) {
            final int predicted = Probabilities.argmax(logits[i]);
            correct[i] = predicted == labels[i];
            agree += predicted == ensembleClasses[i] ? 1 : 0;
        }
        return new RunResult.EpochScore(correct, logits.length == 0 ? Double.NaN : (double) agree / logits.length);
    }

    private static void tick(final ProgressBar bar, final int[] epochs, final int which) {
        synchronized (epochs) {
            epochs[which]++;
            bar.update(epochs[0] + epochs[1]);
        }
    }

    /** Mean over rows of KL(teacher soft targets || softmax(student logits / T)). */
    static double meanKl(final INDArray teacherSoft, final INDArray studentLogits, final double temperature) {
        final double[][] q = teacherSoft.toDoubleMatrix();
        final double[][] z = studentLogits.toDoubleMatrix();
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            sum += Probabilities.klDivergenceToLogits(q[i], z[i], temperature);
        }
        return q.length == 0 ? Double.NaN : sum / q.length;
    }

    private ProgressBar bar(final String label, final long total) {
        return showProgress ? ProgressBar.onStderr(label, total) : ProgressBar.silent(label, total);
    }

    private static double timed(final Runnable work) {
        final long t0 = System.nanoTime();
        work.run();
        return seconds(t0, System.nanoTime());
    }

    private static double seconds(final long from, final long to) {
        return (to - from) / 1e9;
    }
}
