package dev.kdstream.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.CsvDatasetReader;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.eval.Accuracy;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.training.EpochLoop;
import dev.kdstream.teacher.training.TeacherGroupTrainer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Teacher training, one fused group on one thread: DL4J's {@code graph.fit} against
 * {@link TeacherGroupTrainer}, epoch by epoch in alternation so that both see the same load on a
 * shared machine. Both start from the same graph and see the same minibatches. Simple nanoTime
 * accounting, not JMH: one epoch is a tenth of a second or more.
 */
@Command(name = "teacher-training", mixinStandardHelpOptions = true,
        description = "Teacher training (one fused group of default teachers 20-256-128-64-2, Adam, dropout 0.3): "
                + "ms per epoch and steps/s of DL4J's graph.fit vs TeacherGroupTrainer, alternating epochs, on the "
                + "seed data; then both groups' training accuracy.",
        footer = {"", "Example:", "  ./kd bench teacher-training",
            "  ./kd bench teacher-training --teachers 6 --epochs 8 --train ../shared/data/seed_synthetic_train.csv"})
public final class TeacherTrainingBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--teachers", paramLabel = "N", defaultValue = "6",
            description = "Teachers in the group (default: ${DEFAULT-VALUE}, one of the ensemble's two groups).")
    int teachers;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
            description = "Measured epochs of each trainer (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2",
            description = "Warm-up epochs of each trainer, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--train", paramLabel = "CSV",
            description = "Training data (default: the seed's synthetic training split, 4,000 x 20).")
    Path trainFile;

    @Override
    public Integer call() {
        if (teachers < 1 || epochs < 1 || warmup < 0) {
            throw new IllegalArgumentException("--teachers and --epochs must be >= 1, --warmup >= 0");
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(MachineInfo.describe());
        final Dataset train = trainFile == null
                ? TrainTestSplit.seedDefault().train() : CsvDatasetReader.read(trainFile);
        final INDArray x = Nd4j.createFromArray(Standardizer.fit(train).transform(train.features()));
        final INDArray y = LabelMatrix.hard(train.labels(), train.numClasses());
        final Hyperparameters.Teacher t = Hyperparameters.defaults().teacher();
        final ComputationGraph dl4j = Networks.teacherGroup(train.width(), train.numClasses(), t, teachers, 1);
        final ComputationGraph gemm = Networks.teacherGroup(train.width(), train.numClasses(), t, teachers, 1);
        final TeacherGroupTrainer trainer = TeacherGroupTrainer.of(gemm, t.batchSize(), 1);
        final int steps = (train.size() + t.batchSize() - 1) / t.batchSize();
        out.printf(Locale.ROOT, "%s: %,d x %d, %d classes; %d teachers %d-%s-%d, batch %d, dropout %.2f: %d steps "
                        + "per epoch; %d warm-up + %d measured epochs each, alternating%n", train.source(),
                train.size(), train.width(), train.numClasses(), teachers, train.width(), t.hidden(),
                train.numClasses(), t.batchSize(), t.dropout(), steps, warmup, epochs);
        out.flush();

        final double[] dl4jMs = new double[epochs];
        final double[] gemmMs = new double[epochs];
        for (int e = 0; e < warmup + epochs; e++) {
            final long[] orderSeeds = orderSeeds(e);
            final long start = System.nanoTime();
            EpochLoop.runIndependentOrders(x, y, 1, t.batchSize(), orderSeeds,
                    (xs, ys) -> dl4j.fit(new MultiDataSet(xs, ys)), EpochLoop.EpochListener.NONE);
            final long middle = System.nanoTime();
            EpochLoop.runIndependentOrders(x, y, 1, t.batchSize(), orderSeeds, trainer::fit,
                    EpochLoop.EpochListener.NONE);
            final long end = System.nanoTime();
            final boolean measured = e >= warmup;
            out.printf(Locale.ROOT, "epoch %2d%s: dl4j %7.0f ms, gemm %7.0f ms, %.2fx%n", e + 1,
                    measured ? "" : " (warm-up)", (middle - start) / 1e6, (end - middle) / 1e6,
                    (double) (middle - start) / (end - middle));
            out.flush();
            if (measured) {
                dl4jMs[e - warmup] = (middle - start) / 1e6;
                gemmMs[e - warmup] = (end - middle) / 1e6;
            }
        }
        trainer.writeTo(gemm);

        final double dl4jMedian = Median.of(dl4jMs);
        final double gemmMedian = Median.of(gemmMs);
        final double flopsPerStep = trainingFlopsPerRecord(train.width(), t, train.numClasses()) * teachers
                * t.batchSize();
        out.printf(Locale.ROOT, "%-22s %12s %10s %10s %12s%n", "trainer", "ms/epoch", "steps/s", "ms/step",
                "GFLOP/s");
        row(out, "DL4J graph.fit", dl4jMedian, steps, flopsPerStep);
        row(out, "TeacherGroupTrainer", gemmMedian, steps, flopsPerStep);
        out.printf(Locale.ROOT, "TeacherGroupTrainer / DL4J: %.2fx faster per epoch (medians; target >= 2.5x)%n",
                dl4jMedian / gemmMedian);
        out.printf(Locale.ROOT, "training accuracy after %d epochs, mean over teachers: dl4j %.4f, gemm %.4f%n",
                warmup + epochs, meanAccuracy(dl4j, x, train.labels()), meanAccuracy(gemm, x, train.labels()));
        out.flush();
        return 0;
    }

    /** Per epoch, fresh shuffles for each teacher, the same for both trainers. */
    private long[] orderSeeds(final int epoch) {
        final long[] seeds = new long[teachers];
        for (int b = 0; b < teachers; b++) {
            seeds[b] = 100L * epoch + b;
        }
        return seeds;
    }

    /** One teacher: 2 FLOPs per multiply-add forward, twice that backward (weight gradients and deltas). */
    private static double trainingFlopsPerRecord(final int inputs, final Hyperparameters.Teacher t,
                                                 final int classes) {
        long macs = 0;
        int in = inputs;
        for (final int width : t.hidden()) {
            macs += (long) in * width;
            in = width;
        }
        macs += (long) in * classes;
        return 6.0 * macs;
    }

    private static void row(final PrintWriter out, final String name, final double msPerEpoch, final int steps,
                            final double flopsPerStep) {
        final double msPerStep = msPerEpoch / steps;
        out.printf(Locale.ROOT, "%-22s %12.0f %10.0f %10.2f %12.1f%n", name, msPerEpoch, 1e3 / msPerStep, msPerStep,
                flopsPerStep / msPerStep / 1e6);
    }

    private static double meanAccuracy(final ComputationGraph group, final INDArray x, final int[] labels) {
        double sum = 0;
        final INDArray[] outputs = group.output(false, Networks.teacherInputs(group, x));
        for (final INDArray logits : outputs) {
            sum += Accuracy.of(logits, labels);
        }
        return sum / outputs.length;
    }

    /** Runs the command outside the launcher: {@code java -cp ... dev.kdstream.bench.TeacherTrainingBenchCommand}. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new TeacherTrainingBenchCommand()).execute(args));
    }
}
