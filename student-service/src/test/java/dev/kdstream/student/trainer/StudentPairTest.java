package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.bridge.NetworkBridge;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.kernel.StepConfig;
import dev.kdstream.model.kernel.StudentOptimizer;

class StudentPairTest {

    private static final int INPUTS = 4;
    private static final int CLASSES = 2;
    private static final int BATCH = 8;
    private static final Standardizer SCALER = new Standardizer(new double[INPUTS], ones());

    private static double[] ones() {
        final double[] v = new double[INPUTS];
        Arrays.fill(v, 1.0);
        return v;
    }

    private static StudentModel distilled() {
        return StudentModel.create(StudentManifest.DISTILLED, INPUTS, CLASSES, Hyperparameters.defaults(), SCALER,
                "e1", 7);
    }

    private static List<SoftTargetRecord> records(final int n) {
        final Random rng = new Random(3);
        final List<SoftTargetRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final double[] x = new double[INPUTS];
            for (int k = 0; k < INPUTS; k++) {
                x[k] = rng.nextGaussian();
            }
            final double p = rng.nextDouble();
            out.add(new SoftTargetRecord("r" + i, i, x, i % 2, "train", new double[] {p, -p},
                    new double[] {p, 1 - p}, 2.0, "e1"));
        }
        return out;
    }

    @Test
    void theNetworksHandedOutCarryEveryStepTaken() {
        final StudentModel distilled = distilled();
        final float[] initial = distilled.network().params().toFloatVector();
        final StudentModel baseline = StudentModel.create(StudentManifest.BASELINE, INPUTS, CLASSES,
                Hyperparameters.defaults(), SCALER, "e1", 8);
        final StudentPair pair = new StudentPair(distilled, baseline, SCALER, CLASSES, 2.0, BATCH, 100,
                (student, records) -> { });
        final List<SoftTargetRecord> poll = records(BATCH);
        final float[][] x = pair.scale(poll);
        pair.train(poll, x);

        // the same step by an optimiser of our own, from the same initial network
        final StudentOptimizer reference = NetworkBridge.optimizerOf(distilled());
        final float[][] soft = new float[BATCH][];
        final int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            soft[i] = new float[] {(float) poll.get(i).softTargets()[0], (float) poll.get(i).softTargets()[1]};
            labels[i] = poll.get(i).label();
        }
        reference.fit(x, soft, labels);
        final StudentModel expected = distilled();
        NetworkBridge.write(reference, expected);

        final StudentModel handedOut = pair.distilled();
        assertThat(handedOut.network().params().toFloatVector())
                .isNotEqualTo(initial)
                .containsExactly(expected.network().params().toFloatVector());
        assertThat(handedOut.network().getIterationCount()).isEqualTo(1);
        assertThat(pair.baseline().network().getIterationCount()).isEqualTo(1);
    }

    @Test
    void aRetunedPairLearnsAtItsTemperatureFromTheTeachersLogitsAndRecordsItsSettings() {
        final StudentModel baseline = StudentModel.create(StudentManifest.BASELINE, INPUTS, CLASSES,
                Hyperparameters.defaults(), SCALER, "e1", 8);
        final StudentPair pair = new StudentPair(distilled(), baseline, SCALER, CLASSES, 2.0, BATCH, 100,
                (student, records) -> { });
        final Hyperparameters tuned = StudentTuning.apply(Hyperparameters.defaults(), java.util.Map.of(
                "distillation.temperature", "5", "distillation.alpha", "0.9", "student.learning.rate", "0.004",
                "student.weight.decay", "0.01"));
        pair.retune(tuned);
        // records made at T = 2: their soft targets are recomputed at the pair's T = 5
        final List<SoftTargetRecord> poll = records(BATCH);
        assertThat(pair.softTargetsAtT(poll.get(0))).containsExactly(
                Probabilities.softmax(poll.get(0).teacherLogits(), 5.0), within(1e-15));
        final float[][] x = pair.scale(poll);
        pair.train(poll, x);

        final StudentOptimizer reference = NetworkBridge.optimizerOf(distilled());
        reference.retune(StepConfig.of(0.9, 5.0, reference.mlp().layers(), 0.01), 0.004f);
        final float[][] soft = new float[BATCH][];
        final int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            final double[] q = Probabilities.softmax(poll.get(i).teacherLogits(), 5.0);
            soft[i] = new float[] {(float) q[0], (float) q[1]};
            labels[i] = poll.get(i).label();
        }
        reference.fit(x, soft, labels);
        final StudentModel expected = distilled();
        NetworkBridge.write(reference, expected);
        assertThat(pair.distilled().network().params().toFloatVector())
                .containsExactly(expected.network().params().toFloatVector());
        assertThat(pair.distilled().manifest().distillation()).isEqualTo(tuned.distillation());
        assertThat(pair.distilled().manifest().hyperparameters().learningRate()).isEqualTo(0.004);
        assertThat(pair.baseline().manifest().hyperparameters().weightDecay()).isEqualTo(0.01);
        assertThat(pair.baseline().manifest().distillation()).as("the baseline's loss is its own")
                .isEqualTo(Hyperparameters.defaults().distillation());
        // a record made at the pair's T is taken as it is
        pair.retune(StudentTuning.apply(tuned, java.util.Map.of("distillation.temperature", "2")));
        assertThat(pair.softTargetsAtT(poll.get(0))).isSameAs(poll.get(0).softTargets());
    }

    @Test
    void aTrustOfOneHalfTrainsAsHalfTheAlphaAndSurvivesARetune() {
        final List<SoftTargetRecord> poll = records(BATCH);
        final StudentPair trusting = pair(0.8);
        trusting.trust(0.5);
        trusting.retune(StudentTuning.apply(Hyperparameters.defaults(), java.util.Map.of("distillation.alpha", "0.8",
                "distillation.temperature", "2")));
        assertThat(trusting.trust()).as("kept across a retune").isEqualTo(0.5);
        final StudentPair halved = pair(0.4);
        trusting.train(poll, trusting.scale(poll));
        halved.train(poll, halved.scale(poll));
        assertThat(trusting.distilled().network().params().toFloatVector())
                .containsExactly(halved.distilled().network().params().toFloatVector());
    }

    @Test
    void aRefreshsLessonIsGatheredThenTrainsTheDistilledStudentAloneOverSeveralPassesAndIsNotScored() {
        final Map<String, Integer> stepped = new HashMap<>();
        final StudentModel baseline = StudentModel.create(StudentManifest.BASELINE, INPUTS, CLASSES,
                Hyperparameters.defaults(), SCALER, "e1", 8);
        final float[] baselineBefore = baseline.network().params().toFloatVector();
        final StudentPair pair = new StudentPair(distilled(), baseline, SCALER, CLASSES, 2.0, BATCH, 100,
                (student, n) -> stepped.merge(student, n, Integer::sum));
        final List<SoftTargetRecord> lesson = lesson(false);
        // in two polls, as over two partitions
        final List<SoftTargetRecord> first = lesson.subList(0, 5);
        final List<SoftTargetRecord> second = lesson.subList(5, lesson.size());
        assertThat(pair.score(first, pair.scale(first)).prequentialRecords()).as("no record of the stream").isZero();
        pair.train(first, pair.scale(first));
        pair.train(second, pair.scale(second));
        pair.trainPartialBatches();
        assertThat(stepped).as("gathered while it comes").isEmpty();
        assertThat(pair.lessonGathered()).isEqualTo(lesson.size());
        pair.rehearse();
        assertThat(pair.lessonGathered()).isZero();
        assertThat(stepped).containsExactly(Map.entry(MetricNames.DISTILLED,
                StudentPair.REHEARSAL_PASSES * lesson.size()));
        assertThat(pair.baseline().network().params().toFloatVector()).containsExactly(baselineBefore);
        assertThat(pair.distilled().network().params().toFloatVector())
                .isNotEqualTo(distilled().network().params().toFloatVector());
    }

    @Test
    void aLessonTeachesItsSoftTargetsEvenWhileTheOldTeacherIsDistrusted() {
        final StudentPair right = pair(0.7);
        final StudentPair flipped = pair(0.7);
        right.trust(0);
        flipped.trust(0);
        right.train(lesson(false), right.scale(lesson(false)));
        flipped.train(lesson(true), flipped.scale(lesson(true)));
        right.rehearse();
        flipped.rehearse();
        assertThat(right.distilled().network().params().toFloatVector())
                .isNotEqualTo(flipped.distilled().network().params().toFloatVector());
        assertThat(right.trust()).as("and the trust stays as it was").isZero();
    }

    /** A refreshed ensemble's lesson of 2 micro-batches, its soft targets the records' or {@code flipped}. */
    private static List<SoftTargetRecord> lesson(final boolean flipped) {
        final List<SoftTargetRecord> lesson = new ArrayList<>();
        for (final SoftTargetRecord r : records(2 * BATCH)) {
            final double[] soft = flipped ? new double[] {r.softTargets()[1], r.softTargets()[0]} : r.softTargets();
            lesson.add(SoftTargetRecord.of(new FeatureRecord("rehearsal/e1+1/0/" + r.id(), r.ts(), r.features(),
                    r.label(), r.split()), r.teacherLogits(), soft, 2.0, "e1+1", Selection.REHEARSAL));
        }
        return lesson;
    }

    private static StudentPair pair(final double alpha) {
        final StudentPair pair = new StudentPair(distilled(), StudentModel.create(StudentManifest.BASELINE, INPUTS,
                CLASSES, Hyperparameters.defaults(), SCALER, "e1", 8), SCALER, CLASSES, 2.0, BATCH, 100,
                (student, records) -> { });
        pair.retune(StudentTuning.apply(Hyperparameters.defaults(), java.util.Map.of("distillation.alpha",
                Double.toString(alpha), "distillation.temperature", "2")));
        return pair;
    }

    @Test
    void aLabelOnlyRecordTrainsOnTheHardTermAloneAndOnlyUnbiasedRecordsAreScored() {
        final StudentModel distilled = distilled();
        final StudentModel baseline = StudentModel.create(StudentManifest.BASELINE, INPUTS, CLASSES,
                Hyperparameters.defaults(), SCALER, "e1", 8);
        final StudentPair pair = new StudentPair(distilled, baseline, SCALER, CLASSES, 2.0, BATCH, 100,
                (student, records) -> { });
        final List<SoftTargetRecord> annotated = records(BATCH);
        final List<SoftTargetRecord> poll = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            final SoftTargetRecord r = annotated.get(i);
            final FeatureRecord f = new FeatureRecord(r.id(), r.ts(), r.features(), r.label(), r.split());
            // even rows uncertain (annotated, biased), odd rows label-only (not annotated)
            poll.add(i % 2 == 0 ? SoftTargetRecord.of(f, r.teacherLogits(), r.softTargets(), 2.0, "e1",
                    Selection.UNCERTAIN) : SoftTargetRecord.labelOnly(f, 2.0, "e1"));
        }
        final float[][] x = pair.scale(poll);
        assertThat(pair.score(poll, x).prequentialRecords()).as("neither kind is a fair sample").isZero();
        pair.train(poll, x);

        final StudentOptimizer reference = NetworkBridge.optimizerOf(distilled());
        final float[][] soft = new float[BATCH][];
        final int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            soft[i] = i % 2 == 0 ? new float[] {(float) poll.get(i).softTargets()[0],
                    (float) poll.get(i).softTargets()[1]} : null;
            labels[i] = poll.get(i).label();
        }
        reference.fit(x, soft, labels);
        final StudentModel expected = distilled();
        NetworkBridge.write(reference, expected);
        assertThat(pair.distilled().network().params().toFloatVector())
                .containsExactly(expected.network().params().toFloatVector());

        // and a label-only row is not a row of zeros: that would pull the student towards softmax(z / T) = 0
        final StudentOptimizer zeros = NetworkBridge.optimizerOf(distilled());
        for (int i = 1; i < BATCH; i += 2) {
            soft[i] = new float[CLASSES];
        }
        zeros.fit(x, soft, labels);
        final StudentModel wrong = distilled();
        NetworkBridge.write(zeros, wrong);
        assertThat(pair.distilled().network().params().toFloatVector())
                .isNotEqualTo(wrong.network().params().toFloatVector());

        final List<SoftTargetRecord> fair = records(BATCH);
        assertThat(pair.score(fair, pair.scale(fair)).prequentialRecords()).isEqualTo(BATCH);
    }
}
