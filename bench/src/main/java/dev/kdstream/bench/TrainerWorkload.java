package dev.kdstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.kdstream.common.data.Dataset;
import dev.kdstream.common.data.Standardizer;
import dev.kdstream.common.data.SyntheticDataset;
import dev.kdstream.common.data.SyntheticSpec;
import dev.kdstream.common.json.Json;
import dev.kdstream.common.math.Probabilities;
import dev.kdstream.common.model.FastStudentTrainer;
import dev.kdstream.common.model.Hyperparameters;
import dev.kdstream.common.model.LabelMatrix;
import dev.kdstream.common.model.LogitRows;
import dev.kdstream.common.model.StudentModel;
import dev.kdstream.common.records.FeatureRecord;
import dev.kdstream.common.records.SoftTargetRecord;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.metrics.PrequentialEvaluator;
import dev.kdstream.student.trainer.MicroBatch;
import dev.kdstream.student.trainer.SoftTargetDecoder;

/**
 * The per-poll work of the student trainer ({@code OnlineTrainer.process}) without Kafka: decode
 * the soft-target JSON bytes, scale, predict the poll with both students (one batched
 * {@code output()} each), score the predictions, then fill the micro-batches and take one
 * optimiser step per full batch (distilled: every non-holdout record; baseline: the labelled ones),
 * in plain Java ({@link FastStudentTrainer}) as the trainer does, then the DL4J networks synced.
 *
 * <p>{@link SoftTargetDecoder}, {@link PrequentialEvaluator}, {@link MicroBatch} and
 * {@link LogitRows#of} are the trainer's own classes, so the same calls are measured.
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
    private final int classes;
    private final double temperature;
    private final Standardizer scaler;
    private final SoftTargetDecoder decoder;
    private final PrequentialEvaluator evaluator;
    private final StudentModel distilled;
    private final StudentModel baseline;
    private final FastStudentTrainer distilledSteps;
    private final FastStudentTrainer baselineSteps;
    private final MicroBatch distilledBatch;
    private final MicroBatch baselineBatch;

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
        this.classes = classes;
        this.temperature = temperature;
        this.scaler = scaler;
        this.decoder = new SoftTargetDecoder(scaler.width(), classes);
        this.evaluator = new PrequentialEvaluator(1000);
        final Hyperparameters hp = Hyperparameters.defaults();
        // as OnlineTrainer.create, fresh: the same initial weights for both arms
        this.distilled = StudentModel.create("distilled", scaler.width(), classes, hp, scaler, "bench", SEED);
        this.baseline = StudentModel.create("baseline", scaler.width(), classes, hp, scaler, "bench", SEED);
        this.distilledSteps = FastStudentTrainer.from(distilled);
        this.baselineSteps = FastStudentTrainer.from(baseline);
        this.distilledBatch = new MicroBatch(batch, classes, true);
        this.baselineBatch = new MicroBatch(batch, classes, false);
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
        try {
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
                records.add(Json.MAPPER.writeValueAsBytes(SoftTargetRecord.of(f, z,
                        Probabilities.softmax(z, temperature), temperature, "bench-synthetic")));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a soft-target record", e);
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
        final SoftTargetRecord[] polled = new SoftTargetRecord[n];
        final float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            polled[i] = decoder.decode(records.get((from + i) % records.size()));
            x[i] = scaler.transform(polled[i].features());
        }
        long t1 = System.nanoTime();
        decodeNanos += t1 - t0;

        // test before train, as the trainer: both students predict the whole poll first
        final INDArray input = Nd4j.createFromArray(x);
        final double[][] zd = LogitRows.of(distilled.logits(input), n, classes);
        final double[][] zb = LogitRows.of(baseline.logits(input), n, classes);
        for (int i = 0; i < n; i++) {
            final SoftTargetRecord r = polled[i];
            evaluator.record(r.label(), r.holdout(), Probabilities.argmax(r.teacherLogits()),
                    Probabilities.argmax(zd[i]), Probabilities.argmax(zb[i]),
                    Probabilities.klDivergenceToLogits(r.softTargets(), zd[i], temperature));
        }
        evaluation = evaluator.snapshot();
        t0 = System.nanoTime();
        predictNanos += t0 - t1;

        for (int i = 0; i < n; i++) {
            final SoftTargetRecord r = polled[i];
            if (r.holdout()) {
                continue;
            }
            trained++;
            distilledBatch.add(x[i], r.softTargets(), r.labelled() ? r.label() : LabelMatrix.UNLABELLED);
            if (distilledBatch.full()) {
                step(distilledSteps, distilledBatch);
            }
            if (r.labelled()) {
                baselineBatch.add(x[i], null, r.label());
                if (baselineBatch.full()) {
                    step(baselineSteps, baselineBatch);
                }
            }
        }
        // the trainer syncs the DL4J networks after each poll's steps, so this is part of fitting
        distilledSteps.writeTo(distilled);
        baselineSteps.writeTo(baseline);
        fitNanos += System.nanoTime() - t0;
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

    /** As the trainer: a plain-Java step; the DL4J networks take the weights after the poll. */
    private void step(final FastStudentTrainer trainer, final MicroBatch b) {
        trainer.fit(b.featureRows(), b.softTargetRows(), b.labelArray());
        steps++;
        b.clear();
    }
}
