package dev.kdstream.teacher.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.SyntheticDataset;
import dev.kdstream.contracts.data.SyntheticSpec;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.eval.Accuracy;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.training.EpochLoop;

class TeacherGroupTrainerTest {

    private static final int FEATURES = 6;

    @ParameterizedTest(name = "{0} teachers, {1} classes")
    @CsvSource({"3, 2", "2, 3"})
    void twentyStepsWithoutDropoutLeaveTheParametersOfDl4jsFit(final int teachers, final int classes) {
        // 150 rows in batches of 32: four full ones and one of 22 per epoch, so both sizes are checked
        final Data d = data(150, classes, 11);
        final Hyperparameters.Teacher config = teacher(teachers, 0.0, 4);
        final ComputationGraph dl4j = Networks.teacherGroup(FEATURES, classes, config, teachers, 42);
        final ComputationGraph ours = Networks.teacherGroup(FEATURES, classes, config, teachers, 42);
        assertThat(ours.params()).isEqualTo(dl4j.params());
        final TeacherGroupTrainer trainer = TeacherGroupTrainer.of(ours, config.batchSize(), 1);
        final int[] steps = {0};

        EpochLoop.runIndependentOrders(d.x, d.y, config.epochs(), config.batchSize(), orderSeeds(teachers),
                (xs, ys) -> {
                    trainer.fit(xs, ys);
                    dl4j.fit(new MultiDataSet(xs, ys));
                    steps[0]++;
                }, EpochLoop.EpochListener.NONE);
        trainer.writeTo(ours);

        assertThat(steps[0]).isEqualTo(20);
        assertThat(trainer.iterationCount()).isEqualTo(dl4j.getIterationCount()).isEqualTo(20);
        final float[] expected = dl4j.params().toFloatVector();
        final float[] actual = ours.params().toFloatVector();
        final float[] initial = Networks.teacherGroup(FEATURES, classes, config, teachers, 42).params().toFloatVector();
        double moved = 0;
        for (int i = 0; i < expected.length; i++) {
            // float rounding only: the same GEMMs, a different order of additions in a few sums
            assertThat((double) actual[i]).as("parameter %d", i)
                    .isCloseTo(expected[i], within(1e-4 * Math.abs(expected[i]) + 1e-6));
            moved = Math.max(moved, Math.abs(expected[i] - initial[i]));
        }
        // 20 Adam steps of lr 0.01 move the parameters by far more than the tolerance
        assertThat(moved).isGreaterThan(0.05);
    }

    @Test
    void dropoutRunsAreBitReproducibleForASeedAndDifferAcrossSeeds() {
        final Data d = data(200, 3, 5);
        final float[] first = trainWithDropout(d, 7);
        final float[] again = trainWithDropout(d, 7);
        final float[] other = trainWithDropout(d, 8);
        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void dropoutKeepsAboutTheRetainShareOfUnitsScaledByItsInverse() {
        final float[] mask = new float[1_000_000];
        DropoutMask.fill(new SplittableRandom(3), 0.7, mask, mask.length);
        int kept = 0;
        for (final float m : mask) {
            if (m != 0f) {
                // inverted dropout: a kept unit is scaled by 1/0.7, so the expected activation is unchanged
                assertThat(m).isEqualTo((float) (1.0 / 0.7));
                kept++;
            }
        }
        // binomial(1e6, 0.7): standard deviation 458, so +-0.003 is 6.5 sigma
        assertThat(kept / 1e6).isCloseTo(0.7, within(0.003));
        // retain 1 keeps everything, unscaled (an odd count: the last draw's second half unused)
        final float[] all = new float[5];
        DropoutMask.fill(new SplittableRandom(3), 1.0, all, 5);
        assertThat(all).containsOnly(1f);
    }

    @Test
    void learnsASeparableProblemWithDropout() {
        final Data d = data(400, 3, 9);
        final Hyperparameters.Teacher config = teacher(2, 0.3, 16);
        final ComputationGraph graph = Networks.teacherGroup(FEATURES, 3, config, 2, 3);
        final TeacherGroupTrainer trainer = TeacherGroupTrainer.of(graph, config.batchSize(), 3);
        EpochLoop.runIndependentOrders(d.x, d.y, config.epochs(), config.batchSize(), orderSeeds(2), trainer::fit,
                EpochLoop.EpochListener.NONE);
        trainer.writeTo(graph);
        for (final INDArray logits : graph.output(false, Networks.teacherInputs(graph, d.x))) {
            // three well-separated classes: chance is 33 %
            assertThat(Accuracy.of(logits, d.labels)).isGreaterThan(0.9);
        }
    }

    @Test
    void rejectsMinibatchesItWasNotBuiltFor() {
        final Data d = data(100, 2, 1);
        final Hyperparameters.Teacher config = teacher(2, 0.0, 1);
        final TeacherGroupTrainer trainer = TeacherGroupTrainer.of(
                Networks.teacherGroup(FEATURES, 2, config, 2, 1), 32, 1);
        assertThatThrownBy(() -> trainer.fit(new INDArray[] {d.x}, new INDArray[] {d.y}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one features");
        assertThatThrownBy(() -> trainer.fit(new INDArray[] {d.x, d.x}, new INDArray[] {d.y, d.y}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..32");
    }

    private static float[] trainWithDropout(final Data d, final long dropoutSeed) {
        final Hyperparameters.Teacher config = teacher(2, 0.3, 3);
        final ComputationGraph graph = Networks.teacherGroup(FEATURES, 3, config, 2, 1);
        final TeacherGroupTrainer trainer = TeacherGroupTrainer.of(graph, config.batchSize(), dropoutSeed);
        EpochLoop.runIndependentOrders(d.x, d.y, config.epochs(), config.batchSize(), orderSeeds(2), trainer::fit,
                EpochLoop.EpochListener.NONE);
        trainer.writeTo(graph);
        return graph.params().toFloatVector();
    }

    private static Hyperparameters.Teacher teacher(final int count, final double dropout, final int epochs) {
        return new Hyperparameters.Teacher(count, List.of(16, 8), dropout, 1e-2, epochs, 32, 1);
    }

    private static long[] orderSeeds(final int teachers) {
        final long[] seeds = new long[teachers];
        for (int t = 0; t < teachers; t++) {
            seeds[t] = 100 + t;
        }
        return seeds;
    }

    private record Data(INDArray x, INDArray y, int[] labels) {
    }

    private static Data data(final int rows, final int classes, final long seed) {
        final Dataset data = SyntheticDataset.generate(
                new SyntheticSpec(rows, FEATURES, 4, 1, 0, classes, 1, 2.0, 0.0, seed));
        final Standardizer scaler = Standardizer.fit(data);
        return new Data(Nd4j.createFromArray(scaler.transform(data.features())),
                LabelMatrix.hard(data.labels(), classes), data.labels());
    }
}
