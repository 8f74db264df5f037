package dev.kdstream.bench.budget;

import java.util.ArrayList;
import java.util.List;

import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.launcher.offline.RunResult.Outcomes;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.served.ServedStudent;
import dev.kdstream.student.trainer.StudentPair;
import dev.kdstream.student.trainer.TrainerSetup;
import dev.kdstream.teacher.budget.Decision;
import dev.kdstream.teacher.budget.Sampler;
import dev.kdstream.teacher.budget.TeacherBudget;

/**
 * One stream through the pipeline's own decision and learning code, without Kafka: each record is
 * decided by the annotator's rule ({@link Decision}, with a {@link Sampler} of the budget), looking
 * at a served student that is a checkpoint behind the trainer, and the trainer's {@link StudentPair} trains on what the teacher
 * passed on, in polls. What Kafka adds (transactions, crashes, timing) does not change what is
 * learned from which record; the stack's runs measure that part ({@code docs/benchmarks.md}).
 *
 * <p>The ensemble's logits are computed once per data row ({@link TeacherLogits}): it is a fixed
 * function of the row, and the figures here are about what the students learn, not the teacher's time.
 */
final class BudgetRun {

    /** Records per trainer poll (the consumer's max.poll.records). */
    static final int POLL = 500;
    /** The services' settings: the trainer's micro-batch and window, as in the stack. */
    private static final KdConfig DEFAULTS = KdConfig.defaults();

    private BudgetRun() {
    }

    /**
     * What one run ended with.
     *
     * @param holdout  each holdout row scored by the final models (the last holdout pass: no model
     *                 trains on holdout records, so the models of its records are the final ones)
     * @param realised share of training records annotated
     */
    record Result(Outcomes holdout, double realised) {

        double accuracy(final boolean[] correct) {
            int k = 0;
            for (final boolean c : correct) {
                k += c ? 1 : 0;
            }
            return (double) k / correct.length;
        }
    }

    /**
     * @param idSalt       prefixed to every record id, so each run's uniform draws differ
     * @param checkpointEvery records the trainer takes between two checkpoints (the served student's lag)
     */
    static Result run(final FeatureStream stream, final TeacherLogits teacher, final TeacherBudget budget,
                      final TrainerSetup setup, final String idSalt,
                      final int checkpointEvery) {
        final EnsembleManifest manifest = teacher.ensemble().manifest();
        final StudentPair pair = StudentPair.fresh(setup, DEFAULTS.getInt(ConfigKey.STUDENT_BATCH_SIZE),
                DEFAULTS.getInt(ConfigKey.METRICS_WINDOW));
        final Sampler sampler = budget.newSampler();
        ServedStudent served = null;
        long sinceCheckpoint = 0;
        long annotated = 0;
        long training = 0;
        final List<SoftTargetRecord> poll = new ArrayList<>(POLL);
        for (final FeatureMessage m : stream) {
            final FeatureRecord f = new FeatureRecord(idSalt + m.id(), 0, m.features(), m.label(), m.split());
            final Decision decision = Decision.of(budget, sampler, f, budget.needsStudent() ? served : null);
            final SoftTargetRecord out = decision.leftOut() ? null : decision.output(f,
                    decision.selection().annotated() ? teacher.logits(m) : null, sampler, manifest.temperature(),
                    manifest.versionId());
            if (!f.holdout()) {
                training++;
                annotated += out != null && out.annotated() ? 1 : 0;
            }
            if (out != null) {
                poll.add(out);
            }
            if (poll.size() == POLL) {
                pair.train(poll, pair.scale(poll));
                sinceCheckpoint += poll.size();
                poll.clear();
                if (sinceCheckpoint >= checkpointEvery) {
                    pair.trainPartialBatches();
                    served = ServedStudent.of(pair.distilled());
                    sinceCheckpoint = 0;
                }
            }
        }
        if (!poll.isEmpty()) {
            pair.train(poll, pair.scale(poll));
        }
        pair.trainPartialBatches();
        return new Result(score(teacher, ServedStudent.of(pair.distilled()), ServedStudent.of(pair.baseline())),
                training == 0 ? Double.NaN : (double) annotated / training);
    }

    private static Outcomes score(final TeacherLogits teacher, final ServedStudent distilled,
                                  final ServedStudent baseline) {
        final int n = teacher.holdout().size();
        final boolean[] e = new boolean[n];
        final boolean[] d = new boolean[n];
        final boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            final double[] x = teacher.holdout().features()[i];
            final int y = teacher.holdout().labels()[i];
            e[i] = Probabilities.argmax(teacher.holdoutLogits(i)) == y;
            d[i] = Probabilities.argmax(distilled.probabilities(x)) == y;
            b[i] = Probabilities.argmax(baseline.probabilities(x)) == y;
        }
        return new Outcomes(e, d, b);
    }
}
