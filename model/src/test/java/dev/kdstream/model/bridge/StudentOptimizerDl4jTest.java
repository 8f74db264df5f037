package dev.kdstream.model.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.model.definition.DistillationLoss;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.kernel.StudentOptimizer;

/**
 * The proof that {@link StudentOptimizer} is DL4J's optimiser step: the same student trained K
 * steps by {@code StudentModel.fit} and by the trainer ends with the same parameters and Adam state,
 * up to float rounding in the sums (DL4J's float GEMMs vs double sums rounded to float here).
 */
class StudentOptimizerDl4jTest {

    private static final int INPUTS = 20;
    private static final int CLASSES = 2;
    private static final int BATCH = 64;
    private static final Hyperparameters HP = Hyperparameters.defaults();

    /**
     * Absolute, on parameters of magnitude <= ~0.5: after one step the only differences are float
     * rounding in the sums, a float ulp or two (measured: <= 3e-8).
     */
    private static final double ONE_STEP_TOLERANCE = 1e-7;
    /**
     * Over 20 steps rounding differences feed back through the forward pass and Adam's 1/sqrt(v)
     * (measured: <= 4.5e-7); the parameters move ~1e-3 per step, 1.5-2e-2 in all, so any semantic
     * difference (bias-correction index, L2 off, L2 on biases off, L2 after the mean) fails this.
     */
    private static final double MANY_STEPS_TOLERANCE = 2e-6;
    /** Every parameter within 1e-5 of DL4J's, relative (absolute below 1e-3); measured <= 4.7e-6. */
    private static final double RELATIVE_TOLERANCE = 1e-5;

    private static StudentModel student(final DistillationLoss loss, final long seed) {
        final MultiLayerNetwork net = Networks.student(INPUTS, CLASSES, HP.student(), loss, seed);
        return new StudentModel(net, null);
    }

    private static DistillationLoss distilled() {
        return DistillationLoss.of(HP.distillation());
    }

    /** A micro-batch: N(0,1) features, random soft targets, labels with ~25 % unlabelled. */
    private record Batch(float[][] x, float[][] q, int[] y) {
        static Batch random(final Random rng, final int n, final boolean soft, final double unlabelled) {
            final float[][] x = new float[n][INPUTS];
            final float[][] q = soft ? new float[n][CLASSES] : null;
            final int[] y = new int[n];
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < INPUTS; k++) {
                    x[r][k] = (float) rng.nextGaussian();
                }
                if (soft) {
                    final double p = rng.nextDouble();
                    q[r][0] = (float) p;
                    q[r][1] = (float) (1 - p);
                }
                y[r] = rng.nextDouble() < unlabelled ? LabelMatrix.UNLABELLED : rng.nextInt(CLASSES);
            }
            return new Batch(x, q, y);
        }

        void fitDl4j(final StudentModel model) {
            model.network().fit(Nd4j.createFromArray(x), LabelMatrix.of(q, y, CLASSES));
        }

        void fitKernel(final StudentOptimizer trainer) {
            trainer.fit(x, q, y);
        }
    }

    private static float[] params(final StudentModel model) {
        return model.network().params().toFloatVector();
    }

    private static float[] state(final StudentModel model) {
        return model.network().getUpdater(true).getStateViewArray().toFloatVector();
    }

    private static double maxAbsDiff(final float[] a, final float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /** Trains a DL4J student and the trainer side by side; returns the params' largest difference. */
    private static double sideBySide(final DistillationLoss loss, final boolean soft, final int steps,
                                     final double unlabelled, final long seed) {
        final StudentModel reference = student(loss, seed);
        final StudentModel target = student(loss, seed);
        assertThat(params(target)).containsExactly(params(reference));
        final StudentOptimizer trainer = NetworkBridge.optimizerOf(target);
        final Random rng = new Random(seed);
        for (int s = 0; s < steps; s++) {
            final Batch batch = Batch.random(rng, BATCH, soft, unlabelled);
            batch.fitDl4j(reference);
            batch.fitKernel(trainer);
        }
        NetworkBridge.write(trainer, target);
        assertThat(target.network().getIterationCount()).isEqualTo(reference.network().getIterationCount())
                .isEqualTo(steps);
        final double params = maxAbsDiff(params(reference), params(target));
        // the Adam moments: m is a gradient (O(0.1)), v a squared one
        assertThat(maxAbsDiff(state(reference), state(target))).isLessThan(steps == 1 ? 1e-8 : 1e-7);
        assertThat(maxRel(params(reference), params(target))).isLessThan(RELATIVE_TOLERANCE);
        return params;
    }

    private static double maxRel(final float[] a, final float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]) / Math.max(Math.abs(a[i]), 1e-3));
        }
        return max;
    }

    @Test
    void readsTheNetworkItWasBuiltFrom() {
        final StudentModel model = student(distilled(), 3);
        final float[] before = params(model);
        final StudentOptimizer trainer = NetworkBridge.optimizerOf(model);
        assertThat(trainer.mlp().parameterCount()).isEqualTo(20 * 64 + 64 + 64 * 32 + 32 + 32 * 2 + 2);
        assertThat(trainer.iterationCount()).isZero();
        final StudentModel other = student(distilled(), 4);
        NetworkBridge.write(trainer, other);
        assertThat(params(other)).containsExactly(before);
        // the same logits from the copied network: the element layout round-trips
        final float[][] x = Batch.random(new Random(1), 8, true, 0).x();
        assertThat(other.logits(Nd4j.createFromArray(x)).toFloatMatrix())
                .isDeepEqualTo(model.logits(Nd4j.createFromArray(x)).toFloatMatrix());
    }

    @Test
    void logitsAreTheNetworksOutputBeforeAndAfterEachStep() {
        final StudentModel model = student(distilled(), 41);
        final StudentOptimizer trainer = NetworkBridge.optimizerOf(model);
        final Random rng = new Random(41);
        final float[][] x = Batch.random(rng, 7, true, 0).x();
        assertLogitsMatch(trainer, model, x);
        for (int s = 0; s < 3; s++) {
            Batch.random(rng, BATCH, true, 0.25).fitKernel(trainer);
            NetworkBridge.write(trainer, model);
            // after each step: parameters copied for scoring before a step must not be used after it
            assertLogitsMatch(trainer, model, x);
        }
        assertThat(trainer.logits(new float[0][])).isEmpty();
    }

    private static void assertLogitsMatch(final StudentOptimizer trainer, final StudentModel model,
                                          final float[][] x) {
        final float[][] dl4j = model.logits(Nd4j.createFromArray(x)).toFloatMatrix();
        final double[][] kernel = trainer.logits(x);
        assertThat(kernel).hasNumberOfRows(x.length);
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < CLASSES; c++) {
                // float sums in another order: a few ulps of values O(1)
                assertThat(kernel[r][c]).as("row %d class %d", r, c).isCloseTo(dl4j[r][c], within(1e-5));
            }
        }
    }

    @Test
    void oneStepIsDl4jsStep() {
        assertThat(sideBySide(distilled(), true, 1, 0.25, 11)).isLessThan(ONE_STEP_TOLERANCE);
        assertThat(sideBySide(DistillationLoss.hardLabelsOnly(), false, 1, 0.0, 12)).isLessThan(ONE_STEP_TOLERANCE);
    }

    @Test
    void twentyStepsAreDl4jsSteps() {
        assertThat(sideBySide(distilled(), true, 20, 0.25, 21)).isLessThan(MANY_STEPS_TOLERANCE);
        assertThat(sideBySide(DistillationLoss.hardLabelsOnly(), false, 20, 0.0, 22))
                .isLessThan(MANY_STEPS_TOLERANCE);
    }

    @Test
    void unlabelledRowsContributeTheSoftTermOnly() {
        // all rows unlabelled: DistillationLoss drops the hard term, and so must the trainer
        assertThat(sideBySide(distilled(), true, 3, 1.0, 31)).isLessThan(MANY_STEPS_TOLERANCE);
    }

    @Test
    void stateRoundTripsBothWays() {
        final long seed = 41;
        final Random rng = new Random(seed);
        // DL4J trains first: the trainer must pick up its Adam state and iteration count
        final StudentModel reference = student(distilled(), seed);
        for (int s = 0; s < 5; s++) {
            Batch.random(rng, BATCH, true, 0.25).fitDl4j(reference);
        }
        final StudentModel copy = student(distilled(), seed + 1);
        copy.network().setParams(reference.network().params().dup());
        copy.network().getUpdater(true).getStateViewArray().assign(reference.network().getUpdater(true).getStateViewArray());
        copy.network().setIterationCount(reference.network().getIterationCount());
        final StudentOptimizer trainer = NetworkBridge.optimizerOf(copy);
        assertThat(trainer.iterationCount()).isEqualTo(5);
        Batch next = Batch.random(rng, BATCH, true, 0.25);
        next.fitDl4j(reference);
        next.fitKernel(trainer);
        // then the trainer hands back: one more DL4J step on its state equals one more trainer step
        NetworkBridge.write(trainer, copy);
        assertThat(maxAbsDiff(params(reference), params(copy))).isLessThan(ONE_STEP_TOLERANCE);
        next = Batch.random(rng, BATCH, true, 0.25);
        next.fitDl4j(copy);
        next.fitKernel(trainer);
        final StudentModel fromTrainer = student(distilled(), seed + 2);
        NetworkBridge.write(trainer, fromTrainer);
        assertThat(copy.network().getIterationCount()).isEqualTo(7);
        assertThat(fromTrainer.network().getIterationCount()).isEqualTo(7);
        assertThat(maxAbsDiff(params(copy), params(fromTrainer))).isLessThan(ONE_STEP_TOLERANCE);
        assertThat(maxAbsDiff(state(copy), state(fromTrainer))).isLessThan(1e-7);
    }

    @Test
    void checkpointBytesStayLoadableByDl4j() {
        final StudentModel model = StudentModel.create(StudentManifest.DISTILLED, INPUTS, CLASSES, HP,
                new Standardizer(new double[INPUTS], ones()), "e1", 51);
        final StudentOptimizer trainer = NetworkBridge.optimizerOf(model);
        final Random rng = new Random(51);
        for (int s = 0; s < 3; s++) {
            Batch.random(rng, BATCH, true, 0.25).fitKernel(trainer);
        }
        NetworkBridge.write(trainer, model);
        final StudentModel loaded = StudentFile.fromBytes("test", StudentFile.toBytes(model));
        assertThat(params(loaded)).containsExactly(params(model));
        assertThat(state(loaded)).containsExactly(state(model));
        assertThat(NetworkBridge.optimizerOf(loaded).iterationCount()).isEqualTo(3);
    }

    private static double[] ones() {
        final double[] v = new double[INPUTS];
        Arrays.fill(v, 1.0);
        return v;
    }

    @Test
    void rejectsMismatchedBatches() {
        final StudentOptimizer trainer = NetworkBridge.optimizerOf(student(distilled(), 61));
        assertThatThrownBy(() -> trainer.fit(new float[2][INPUTS], null, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trainer.fit(new float[1][INPUTS], null, new int[] {5}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trainer.fit(new float[1][3], null, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
