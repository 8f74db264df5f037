package dev.kdstream.student.trainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.bridge.NetworkBridge;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.kernel.StepConfig;
import dev.kdstream.model.kernel.StudentOptimizer;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.metrics.PrequentialEvaluator;

/**
 * The trainer's learning without Kafka: the distilled student and the hard-label baseline, their
 * optimisers ({@link StudentOptimizer}, the model kernel) and micro-batches, and the prequential
 * evaluator. A poll of soft targets goes through {@link #scale}, {@link #score} (test: both
 * students predict the whole poll first) and {@link #train} (then: the distilled student on every
 * non-holdout record, the baseline on the labelled ones, one optimiser step per full micro-batch).
 * {@link OnlineTrainer} wraps it with the consumer and the checkpoints; the trainer benchmark
 * times the three steps.
 *
 * <p>The optimisers hold the current weights and predict for {@link #score} themselves; the DL4J
 * networks (what is checkpointed and served from) take them only when asked for, through
 * {@link #distilled} and {@link #baseline}. Not thread-safe.
 */
public final class StudentPair {

    /** Told of every record scored: what the ensemble (-1 without its output) and the two students predicted. */
    @FunctionalInterface
    public interface ScoreListener {
        void scored(SoftTargetRecord record, int teacher, int distilled, int baseline);
    }

    /** Told of every optimiser step: which student ({@link MetricNames#DISTILLED} or baseline), on how many records. */
    @FunctionalInterface
    public interface StepListener {
        void stepped(String student, int records);
    }

    /**
     * Passes over a refresh's window ({@link Selection#REHEARSAL}). Once over it is what the student
     * had from the stream already; going over it again is what speeds its recovery. Twenty recovered
     * from a swap of the class regions faster than ten and as fast as forty, and over the largest
     * window (16,000 records) they are seconds of the trainer's time (docs/benchmarks.md, "Drift").
     */
    public static final int REHEARSAL_PASSES = 20;

    private final StudentModel distilled;
    private final StudentModel baseline;
    private final Standardizer scaler;
    private double temperature;
    /** The soft term's weight as tuned; the optimiser steps with it times {@link #trust}. */
    private double alpha;
    private double trust = 1;
    private final StudentOptimizer distilledSteps;
    private final StudentOptimizer baselineSteps;
    private final MicroBatch distilledBatch;
    private final MicroBatch baselineBatch;
    private final PrequentialEvaluator evaluator;
    private final StepListener listener;
    private ScoreListener scored = (r, teacher, distilled, baseline) -> { };
    private boolean networksBehind;
    /**
     * A refreshed ensemble's lesson, gathered by {@link #train} until its caller, with all of it,
     * calls {@link #rehearse}.
     */
    private final List<SoftTargetRecord> rehearsal = new ArrayList<>();
    private final List<float[]> rehearsalX = new ArrayList<>();
    private final MicroBatch rehearsalBatch;
    /** Seeded: a run is repeatable. */
    private final Random rehearsalOrder = new Random(TrainerSetup.STUDENT_SEED);

    /**
     * @param batch  records per optimiser step
     * @param window records in the evaluator's rolling window
     */
    public StudentPair(final StudentModel distilled, final StudentModel baseline, final Standardizer scaler,
                       final int classes, final double temperature, final int batch, final int window,
                       final StepListener listener) {
        this.distilled = distilled;
        this.baseline = baseline;
        this.scaler = scaler;
        this.temperature = temperature;
        this.distilledSteps = NetworkBridge.optimizerOf(distilled);
        this.baselineSteps = NetworkBridge.optimizerOf(baseline);
        this.alpha = distilledSteps.config().alpha();
        this.distilledBatch = new MicroBatch(batch, classes, true);
        this.baselineBatch = new MicroBatch(batch, classes, false);
        this.rehearsalBatch = new MicroBatch(batch, classes, true);
        this.evaluator = new PrequentialEvaluator(window);
        this.listener = listener;
    }

    /**
     * Fresh students of {@code setup}'s shape and hyper-parameters, both from {@link TrainerSetup#STUDENT_SEED}
     * (the loss is the only difference between them), as a new trainer starts; no step listener.
     */
    public static StudentPair fresh(final TrainerSetup setup, final int batch, final int window) {
        return new StudentPair(
                StudentModel.create(StudentManifest.DISTILLED, setup.inputWidth(), setup.classes(),
                        setup.hyperparameters(), setup.scaler(), setup.ensembleVersion(), TrainerSetup.STUDENT_SEED),
                StudentModel.create(StudentManifest.BASELINE, setup.inputWidth(), setup.classes(),
                        setup.hyperparameters(), setup.scaler(), setup.ensembleVersion(), TrainerSetup.STUDENT_SEED),
                setup.scaler(), setup.classes(), setup.temperature(), batch, window, (student, n) -> { });
    }

    /**
     * Trains both students with {@code hp}'s learning rate and weight decay, and the distilled one
     * at its T and alpha, from the next record on: the partial micro-batches are stepped first under
     * the settings they were gathered with. The manifests record the new settings for the next
     * checkpoint; the DL4J networks' own configurations keep the values they were created with,
     * which is why a restored trainer retunes before its first record. The architecture
     * ({@code hp.student().hidden()}) is the students' own and is not read.
     */
    public void retune(final Hyperparameters hp) {
        trainPartialBatches();
        final Hyperparameters.Student s = hp.student();
        final Hyperparameters.Distillation d = hp.distillation();
        distilledSteps.retune(StepConfig.of(d.alpha(), d.temperature(), distilledSteps.mlp().layers(),
                s.weightDecay()), (float) s.learningRate());
        final StepConfig hard = baselineSteps.config();
        baselineSteps.retune(StepConfig.of(hard.alpha(), hard.temperature(), baselineSteps.mlp().layers(),
                s.weightDecay()), (float) s.learningRate());
        distilled.setTraining(s, d);
        baseline.setTraining(s, baseline.manifest().distillation());
        temperature = d.temperature();
        alpha = d.alpha();
        trust(trust);
    }

    /**
     * Weighs the distilled student's soft term by {@code t} in [0, 1] from its next step on
     * ({@link TeacherTrust}): alpha times t. The records already gathered for that step take it too:
     * the trust moves with a window of records, not with one.
     */
    public void trust(final double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("trust must be in [0, 1], got " + t);
        }
        trust = t;
        final StepConfig c = distilledSteps.config();
        if (c.alpha() != alpha * t) {
            distilledSteps.retune(new StepConfig(alpha * t, c.temperature(), c.l2Weights(), c.l2Biases()),
                    distilledSteps.adam().learningRate());
        }
    }

    /** The weight of the teacher's soft term relative to alpha now, in [0, 1]. */
    public double trust() {
        return trust;
    }

    /**
     * The soft targets the distilled student learns from at its T: the record's, or, for a record
     * made at another T (another trainer's, or before a live change), softmax(teacher logits / T).
     * Null for a record the teacher did not annotate.
     */
    double[] softTargetsAtT(final SoftTargetRecord r) {
        if (r.softTargets() == null || r.teacherLogits() == null || r.temperature() == temperature) {
            return r.softTargets();
        }
        return Probabilities.softmax(r.teacherLogits(), temperature);
    }

    /** Tells {@code listener} of every record {@link #score} scores, after the evaluator. */
    public void onScored(final ScoreListener listener) {
        this.scored = listener;
    }

    /** The records' features, standardised as the students take them. */
    public float[][] scale(final List<SoftTargetRecord> records) {
        final float[][] x = new float[records.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = scaler.transform(records.get(i).features());
        }
        return x;
    }

    /** The evaluation of every record scored so far. */
    public Evaluation evaluation() {
        return evaluator.snapshot();
    }

    /**
     * Test: both students predict the whole poll, before either learns from it; the evaluator
     * scores it. The predictions come from the optimisers' own forward pass, the networks' weights
     * in plain Java, not from DL4J.
     *
     * <p>Only the unbiased records are scored ({@link Selection#unbiased}): under a teacher budget
     * the uncertainty sampler's records are the hard ones and the label-only ones the easy ones, and
     * either would bias every figure; the uniform draws and the holdout records are a fair sample.
     * At a budget of 1.0 that is every record.
     */
    public Evaluation score(final List<SoftTargetRecord> records, final float[][] x) {
        return score(records, x, null);
    }

    /**
     * @param waiting per record, the {@link Waiting} it is kept in for a late label, or null; those
     *                scored are told their predictions. Null for none.
     */
    Evaluation score(final List<SoftTargetRecord> records, final float[][] x, final List<Waiting> waiting) {
        final List<SoftTargetRecord> fair = new ArrayList<>(records.size());
        final List<float[]> fairX = new ArrayList<>(records.size());
        final List<Waiting> fairWaiting = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).selection().unbiased()) {
                fair.add(records.get(i));
                fairX.add(x[i]);
                fairWaiting.add(waiting == null ? null : waiting.get(i));
            }
        }
        final float[][] rows = fairX.toArray(new float[0][]);
        final double[][] zd = distilledSteps.logits(rows);
        final double[][] zb = baselineSteps.logits(rows);
        for (int i = 0; i < rows.length; i++) {
            final SoftTargetRecord r = fair.get(i);
            final int teacher = r.teacherLogits() == null ? -1 : Probabilities.argmax(r.teacherLogits());
            final int distilledClass = Probabilities.argmax(zd[i]);
            final int baselineClass = Probabilities.argmax(zb[i]);
            evaluator.record(r.label(), r.holdout(), teacher, distilledClass, baselineClass,
                    Probabilities.klDivergenceToLogits(softTargetsAtT(r), zd[i], temperature));
            scored.scored(r, teacher, distilledClass, baselineClass);
            if (fairWaiting.get(i) != null) {
                fairWaiting.get(i).scored(teacher, distilledClass, baselineClass);
            }
        }
        return evaluator.snapshot();
    }

    /**
     * A late label for a waiting record: its predictions from when it came are scored against it (if
     * it was scored then), and both students train on it, the distilled one on the hard term alone
     * (its soft term trained when the record came), at the weight a label-only record's has.
     */
    void lateLabel(final Waiting w, final int label) {
        final SoftTargetRecord r = w.record().withLabel(label);
        if (w.wasScored()) {
            evaluator.labelled(label, r.holdout(), w.teacher(), w.distilled(), w.baseline());
            scored.scored(r, w.teacher(), w.distilled(), w.baseline());
        }
        if (r.holdout()) {
            return;
        }
        final float[] x = scaler.transform(r.features());
        distilledBatch.add(x, null, label);
        if (distilledBatch.full()) {
            step(distilledSteps, distilledBatch, MetricNames.DISTILLED);
        }
        baselineBatch.add(x, null, label);
        if (baselineBatch.full()) {
            step(baselineSteps, baselineBatch, MetricNames.BASELINE);
        }
    }

    /**
     * Then train: holdout records are skipped, unlabelled ones train the distilled student only,
     * label-only ones (not annotated) train the distilled student on the hard term alone. A refresh's
     * rehearsal records are gathered, over as many calls as they come in, for {@link #rehearse}.
     */
    public void train(final List<SoftTargetRecord> records, final float[][] x) {
        for (int i = 0; i < records.size(); i++) {
            final SoftTargetRecord r = records.get(i);
            if (r.rehearsal()) {
                rehearsal.add(r);
                rehearsalX.add(x[i]);
                continue;
            }
            if (r.holdout() || !r.annotated() && !r.labelled()) {
                // a record passed on unannotated has nothing to train on until its label comes
                continue;
            }
            distilledBatch.add(x[i], softTargetsAtT(r), r.labelled() ? r.label() : LabelMatrix.UNLABELLED);
            if (distilledBatch.full()) {
                step(distilledSteps, distilledBatch, MetricNames.DISTILLED);
            }
            if (r.labelled()) {
                baselineBatch.add(x[i], null, r.label());
                if (baselineBatch.full()) {
                    step(baselineSteps, baselineBatch, MetricNames.BASELINE);
                }
            }
        }
    }

    /** Records of a refreshed ensemble's lesson gathered and not yet taught. */
    public int lessonGathered() {
        return rehearsal.size();
    }

    /**
     * Teaches the gathered lesson of a refreshed ensemble, once all of it has come (its caller
     * knows when): gone over {@link #REHEARSAL_PASSES} times in a fresh order each time, by the
     * distilled student alone (the baseline stays the learner of the stream's labels), at the full
     * alpha: the lesson is the refreshed ensemble's, not the one whose errors withdrew the trust.
     */
    public void rehearse() {
        if (rehearsal.isEmpty()) {
            return;
        }
        final double distrust = trust;
        trust(1);
        final Integer[] order = new Integer[rehearsal.size()];
        for (int pass = 0; pass < REHEARSAL_PASSES; pass++) {
            Arrays.setAll(order, i -> i);
            Collections.shuffle(Arrays.asList(order), rehearsalOrder);
            for (final int i : order) {
                final SoftTargetRecord r = rehearsal.get(i);
                rehearsalBatch.add(rehearsalX.get(i), softTargetsAtT(r), r.label());
                if (rehearsalBatch.full()) {
                    step(distilledSteps, rehearsalBatch, MetricNames.DISTILLED);
                }
            }
        }
        if (!rehearsalBatch.isEmpty()) {
            step(distilledSteps, rehearsalBatch, MetricNames.DISTILLED);
        }
        trust(distrust);
        rehearsal.clear();
        rehearsalX.clear();
    }

    /**
     * The distilled student starts again from the baseline: its weights and Adam state
     * ({@link TeacherTrust#takeFallBack}). The records gathered for its next step stay, to step on
     * the baseline's weights.
     */
    public void distilledFromBaseline() {
        distilledSteps.copyFrom(baselineSteps);
        networksBehind = true;
    }

    /**
     * Steps on the partial micro-batches, so that the networks include every record of the stream
     * given so far (not a lesson still being gathered).
     */
    public void trainPartialBatches() {
        if (!distilledBatch.isEmpty()) {
            step(distilledSteps, distilledBatch, MetricNames.DISTILLED);
        }
        if (!baselineBatch.isEmpty()) {
            step(baselineSteps, baselineBatch, MetricNames.BASELINE);
        }
    }

    /** The distilled student's network, with every step taken so far (for a checkpoint). */
    public StudentModel distilled() {
        syncNetworks();
        return distilled;
    }

    /** The baseline's network, with every step taken so far. */
    public StudentModel baseline() {
        syncNetworks();
        return baseline;
    }

    private void step(final StudentOptimizer steps, final MicroBatch batch, final String student) {
        steps.fit(batch.featureRows(), batch.softTargetRows(), batch.labelArray());
        networksBehind = true;
        listener.stepped(student, batch.size());
        batch.clear();
    }

    /** The DL4J networks take the optimisers' weights, Adam state and iteration counts. */
    private void syncNetworks() {
        if (networksBehind) {
            NetworkBridge.write(distilledSteps, distilled);
            NetworkBridge.write(baselineSteps, baseline);
            networksBehind = false;
        }
    }
}
