package dev.kdstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;


import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.SyntheticDataset;
import dev.kdstream.contracts.data.SyntheticSpec;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.SoftTargetCodec;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.trainer.SoftTargetDecoder;
import dev.kdstream.student.trainer.StudentPair;

/**
 * The per-poll work of the student trainer ({@code OnlineTrainer.process}) without Kafka, through
 * the trainer's own {@link SoftTargetDecoder} and {@link StudentPair}, so the same calls are
 * measured: decode the soft-target bytes and scale; score (both students predict the poll,
 * the evaluator scores it); train (one plain-Java optimiser step per full micro-batch, then the
 * DL4J networks take the weights).
 * Checkpoints (Kafka, every few seconds) are not part of the loop measured here.
 *
 * <p>Soft targets are synthetic: teacher logits are Gaussian noise plus {@link #MARGIN} on the
 * true class (an ensemble ~95 % right), soft targets their softmax at the default temperature.
 * The cost of the trainer does not depend on their values.
 */
public final class TrainerWorkload {

    /** Margin of the true class in the synthetic teacher logits. */
    static final double MARGIN = 2.5;
    private static final long SEED = 42;

    private final List<byte[]> records;
    private final int batch;
    private final SoftTargetDecoder decoder;
    private final StudentPair students;

    private long decodeNanos;
    private long predictNanos;
    private long fitNanos;
    private long processed;
    private long trained;
    private long steps;
    private Evaluation evaluation = Evaluation.EMPTY;

    private TrainerWorkload(final List<byte[]> records, final int batch, final int classes, final double temperature,
                            final Standardizer scaler) {
        this.records = records;
        this.batch = batch;
        this.decoder = new SoftTargetDecoder(scaler.width(), classes);
        final Hyperparameters hp = Hyperparameters.defaults();
        // as OnlineTrainer.create, fresh: the same initial weights for both arms
        this.students = new StudentPair(
                StudentModel.create("distilled", scaler.width(), classes, hp, scaler, "bench", SEED),
                StudentModel.create("baseline", scaler.width(), classes, hp, scaler, "bench", SEED),
                scaler, classes, temperature, batch, 1000, (student, n) -> steps++);
    }

    /**
     * @param count           serialised records to make (the seed's 5,000 rows, cycled)
     * @param batch           micro-batch size (the trainer's default is 64)
     * @param holdoutFraction share of records marked holdout (scored, never trained on)
     */
    public static TrainerWorkload create(final int count, final int batch, final double holdoutFraction) {
        if (count < 1 || batch < 1 || holdoutFraction < 0 || holdoutFraction > 1) {
            throw new IllegalArgumentException("need records >= 1, batch >= 1 and holdout in [0, 1]");
        }
        final Dataset data = SyntheticDataset.generate(SyntheticSpec.seedDefaults());
        final double temperature = Hyperparameters.defaults().distillation().temperature();
        final SplittableRandom rng = new SplittableRandom(SEED);
        final List<byte[]> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
                final int row = i % data.size();
                final int label = data.labels()[row];
                final double[] z = new double[data.numClasses()];
                for (int c = 0; c < z.length; c++) {
                    z[c] = rng.nextGaussian() + (c == label ? MARGIN : 0);
                }
                final String split = rng.nextDouble() < holdoutFraction ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN;
                final FeatureRecord f = new FeatureRecord("r-" + i, 1_700_000_000_000L + i, data.features()[row],
                        label, split);
                records.add(SoftTargetCodec.encode(SoftTargetRecord.of(f, z,
                        Probabilities.softmax(z, temperature), temperature, "bench-synthetic")));
        }
        return new TrainerWorkload(List.copyOf(records), batch, data.numClasses(), temperature,
                Standardizer.fit(data));
    }

    public int size() {
        return records.size();
    }

    /** Processes records [from, from + n) of the list (wrapping around) as one poll. */
    public void poll(final int from, final int n) {
        long t0 = System.nanoTime();
        final List<SoftTargetRecord> polled = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            polled.add(decoder.decode(records.get((from + i) % records.size())));
        }
        final float[][] x = students.scale(polled);
        long t1 = System.nanoTime();
        decodeNanos += t1 - t0;

        // test before train, as the trainer
        evaluation = students.score(polled, x);
        t0 = System.nanoTime();
        predictNanos += t0 - t1;

        students.train(polled, x);
        fitNanos += System.nanoTime() - t0;
        // counted outside the timed step, which it is not part of
        trained += polled.stream().filter(r -> !r.holdout()).count();
        processed += n;
    }

    /** Zeroes the counters (after the warm-up). */
    public void reset() {
        decodeNanos = 0;
        predictNanos = 0;
        fitNanos = 0;
        processed = 0;
        trained = 0;
        steps = 0;
    }

    public long decodeNanos() {
        return decodeNanos;
    }

    public long predictNanos() {
        return predictNanos;
    }

    public long fitNanos() {
        return fitNanos;
    }

    /** Records processed (decoded, scored) since the last reset. */
    public long records() {
        return processed;
    }

    /** Non-holdout records, added to the micro-batches, since the last reset. */
    public long trained() {
        return trained;
    }

    /** {@code fit()} calls, both students, since the last reset. */
    public long steps() {
        return steps;
    }

    public int batch() {
        return batch;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

}
