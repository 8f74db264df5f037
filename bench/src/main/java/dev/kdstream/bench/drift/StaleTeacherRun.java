package dev.kdstream.bench.drift;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.student.metrics.Accuracies;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.trainer.StudentPair;
import dev.kdstream.student.trainer.TeacherTrust;
import dev.kdstream.student.trainer.TrainerSetup;

/**
 * One run of the stale-teacher case through the trainer's own learning code, without Kafka: the
 * students learn the stack's stream (the ensemble's own data, every record annotated), then a
 * second stream of the same width the ensemble never saw; test-then-train, as the trainer does, with
 * the soft term weighed by {@link TeacherTrust} or not.
 */
final class StaleTeacherRun {

    /** Records per trainer poll (the consumer's max.poll.records). */
    static final int POLL = 500;
    private static final KdConfig DEFAULTS = KdConfig.defaults();

    /**
     * Prequential accuracies over the last records of the second stream.
     *
     * @param trust the trust at the end (1 without it)
     */
    record Result(long records, double teacher, double distilled, double baseline, double trust) {
    }

    private final TeacherEnsemble ensemble;
    private final TrainerSetup setup;
    private final boolean trusting;
    private final StudentPair pair;
    private final TeacherTrust teacherTrust = new TeacherTrust(DEFAULTS.getInt(ConfigKey.METRICS_WINDOW));

    StaleTeacherRun(final TeacherEnsemble ensemble, final TrainerSetup setup, final boolean trusting) {
        this.ensemble = ensemble;
        this.setup = setup;
        this.trusting = trusting;
        this.pair = StudentPair.fresh(setup, DEFAULTS.getInt(ConfigKey.STUDENT_BATCH_SIZE),
                DEFAULTS.getInt(ConfigKey.METRICS_WINDOW));
    }

    /**
     * @param before the ensemble's own stream, and its rows (train, then holdout)
     * @param after  the stream it never saw
     * @param last   records of {@code after} the result is over (its end)
     */
    Result run(final FeatureStream before, final Dataset beforeTrain, final Dataset beforeHoldout,
               final FeatureStream after, final Dataset afterRows, final long last) {
        feed(before, logits(beforeTrain), logits(beforeHoldout), Long.MAX_VALUE);
        final Evaluation start = feed(after, logits(afterRows), null, after.size() - last);
        final Accuracies a = pair.evaluation().cumulative();
        final Accuracies s = start.cumulative();
        final long n = a.records() - s.records();
        return new Result(n, share(a.records() * a.teacher() - s.records() * s.teacher(), n),
                share(a.records() * a.distilled() - s.records() * s.distilled(), n),
                share(a.records() * a.baseline() - s.records() * s.baseline(), n), pair.trust());
    }

    private static double share(final double hits, final long n) {
        return n == 0 ? Double.NaN : Math.round(hits) / (double) n;
    }

    /** Feeds the stream; returns the evaluation after its first {@code mark} records (or at its end). */
    private Evaluation feed(final FeatureStream stream, final double[][] train, final double[][] holdout,
                           final long mark) {
        final double t = setup.temperature();
        final String version = ensemble.manifest().versionId();
        final List<SoftTargetRecord> poll = new ArrayList<>(POLL);
        Evaluation marked = null;
        long seen = 0;
        for (final FeatureMessage m : stream) {
            final FeatureRecord f = new FeatureRecord(m.id(), 0, m.features(), m.label(), m.split());
            final int row = Integer.parseInt(m.id().substring(m.id().indexOf('-') + 1));
            final double[] z = m.holdout() ? holdout[row] : train[row];
            poll.add(SoftTargetRecord.of(f, z, Probabilities.softmax(z, t), t, version,
                    f.holdout() ? Selection.HOLDOUT : Selection.UNIFORM));
            seen++;
            if (poll.size() == POLL || seen == mark) {
                final Evaluation e = step(poll);
                if (seen == mark) {
                    marked = e;
                }
                poll.clear();
            }
        }
        final Evaluation end = poll.isEmpty() ? null : step(poll);
        return marked != null ? marked : end;
    }

    private Evaluation step(final List<SoftTargetRecord> poll) {
        final float[][] x = pair.scale(poll);
        final Evaluation e = pair.score(poll, x);
        if (trusting) {
            pair.trust(teacherTrust.update(e));
        }
        pair.train(poll, x);
        return e;
    }

    private double[][] logits(final Dataset data) {
        return ensemble.logits(Nd4j.createFromArray(ensemble.manifest().scaler().transform(data.features())))
                .toDoubleMatrix();
    }
}
