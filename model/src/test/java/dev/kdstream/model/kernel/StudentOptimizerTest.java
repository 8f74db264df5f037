package dev.kdstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * One step of a 1-2 network (logistic regression over two classes), worked by hand. After one
 * step Adam's first moment is 0.1 g, so it shows the gradient the step used.
 */
class StudentOptimizerTest {

    private static final float LEARNING_RATE = 0.01f;

    private static StudentOptimizer optimizer(final float[] parameters, final double alpha, final double temperature,
                                              final float l2Weights) {
        final Mlp mlp = Mlp.of(new int[] {1, 2}, parameters);
        final Adam adam = new Adam(LEARNING_RATE, 0.9f, 0.999f, 1e-8f, mlp.parameterCount());
        return new StudentOptimizer(mlp, adam, new StepConfig(alpha, temperature, new float[] {l2Weights},
                new float[] {0}), 0);
    }

    @Test
    void hardLabelGradientIsTheBatchMeanPlusL2OnTheWeightsOnly() {
        // W = [[1, -1]], b = [0, 0]; x = 2 (label 0) gives logits [2, -2], x = 0 (label 1) gives [0, 0]
        final StudentOptimizer opt = optimizer(new float[] {1, -1, 0, 0}, 0.0, 1.0, 0.5f);
        opt.fit(new float[][] {{2}, {0}}, null, new int[] {0, 1});
        // dL/dz = softmax(z) - y: record 1 [-s, s] with s = 1 / (1 + e^4), record 2 [0.5, -0.5]
        final double s = 1 / (1 + Math.exp(4));
        // weights: (2 * [-s, s] + 0) / 2 + 0.5 * [1, -1]; biases: ([-s, s] + [0.5, -0.5]) / 2
        final float[] m = opt.adam().firstMoments();
        assertThat(m[0]).isCloseTo((float) (0.1 * (-s + 0.5)), within(1e-7f));
        assertThat(m[1]).isCloseTo((float) (0.1 * (s - 0.5)), within(1e-7f));
        assertThat(m[2]).isCloseTo((float) (0.1 * (0.5 - s) / 2), within(1e-7f));
        assertThat(m[3]).isCloseTo((float) (0.1 * (s - 0.5) / 2), within(1e-7f));
        // Adam's first step moves each parameter by the learning rate against its gradient's sign
        assertThat(opt.mlp().parameters()).usingComparatorWithPrecision(1e-6f)
                .containsExactly(1 - LEARNING_RATE, -1 + LEARNING_RATE, -LEARNING_RATE, LEARNING_RATE);
        assertThat(opt.iterationCount()).isEqualTo(1);
    }

    @Test
    void unlabelledRecordsTrainTheSoftTermOnly() {
        // zero weights: logits [0, 0]; dL/dz = alpha T (softmax(z / T) - q) = 2 ([0.5, 0.5] - [0.8, 0.2])
        final StudentOptimizer opt = optimizer(new float[4], 1.0, 2.0, 0);
        opt.fit(new float[][] {{1}}, new float[][] {{0.8f, 0.2f}}, new int[] {StudentOptimizer.UNLABELLED});
        assertThat(opt.adam().firstMoments()).usingComparatorWithPrecision(1e-7f)
                .containsExactly(-0.06f, 0.06f, -0.06f, 0.06f);
    }

    @Test
    void aRetuneTakesItsAlphaTemperatureL2AndStepSizeFromTheNextStep() {
        // the unlabelled case above, retuned to T = 4 and weight decay 0.5 before its step, and half the step size
        final StudentOptimizer opt = optimizer(new float[] {0, 0, 0, 0}, 0.0, 1.0, 0);
        opt.retune(StepConfig.of(1.0, 4.0, 1, 0.5), LEARNING_RATE / 2);
        opt.fit(new float[][] {{1}}, new float[][] {{0.8f, 0.2f}}, new int[] {StudentOptimizer.UNLABELLED});
        // dL/dz = 1 * 4 * ([0.5, 0.5] - [0.8, 0.2]) = [-1.2, 1.2]; zero parameters: L2 adds nothing yet
        assertThat(opt.adam().firstMoments()).usingComparatorWithPrecision(1e-7f)
                .containsExactly(-0.12f, 0.12f, -0.12f, 0.12f);
        assertThat(opt.mlp().parameters()).usingComparatorWithPrecision(1e-6f)
                .containsExactly(LEARNING_RATE / 2, -LEARNING_RATE / 2, LEARNING_RATE / 2, -LEARNING_RATE / 2);
        // L2 0.5 on the weights and the biases now: the second step's gradient adds 0.5 * parameter
        opt.retune(StepConfig.of(0.0, 1.0, 1, 0.5), LEARNING_RATE);
        final float[] before = opt.adam().firstMoments().clone();
        opt.fit(new float[][] {{0}}, null, new int[] {0});
        // x = 0: the weights' data gradient is 0, so their moment moves by 0.1 * L2 term alone
        assertThat(opt.adam().firstMoments()[0]).isCloseTo(0.9f * before[0] + 0.1f * 0.5f * LEARNING_RATE / 2,
                within(1e-7f));
        assertThat(opt.iterationCount()).isEqualTo(2);
        assertThat(opt.adam().learningRate()).isEqualTo(LEARNING_RATE);
    }

    @Test
    void logitsUseTheCurrentWeights() {
        final StudentOptimizer opt = optimizer(new float[] {1, -1, 0.5f, 0}, 0.0, 1.0, 0);
        assertThat(opt.logits(new float[][] {{2}, {0}})).isDeepEqualTo(new double[][] {{2.5, -2}, {0.5, 0}});
        opt.fit(new float[][] {{1}}, null, new int[] {1});
        assertThat(opt.logits(new float[][] {{0}})[0][0]).isCloseTo(0.5 - LEARNING_RATE, within(1e-6));
    }

    @Test
    void aCopyTakesTheOthersWeightsAdamStateAndStepsAsItWould() {
        final StudentOptimizer other = optimizer(new float[] {1, -1, 0.5f, 0}, 0.0, 1.0, 0);
        other.fit(new float[][] {{1}, {-2}}, null, new int[] {1, 0});
        final StudentOptimizer copy = optimizer(new float[4], 0.0, 1.0, 0);
        copy.copyFrom(other);
        assertThat(copy.mlp().parameters()).containsExactly(other.mlp().parameters());
        assertThat(copy.iterationCount()).isEqualTo(1);
        // the next step: the same moments and bias correction give the same weights, bit for bit
        copy.fit(new float[][] {{3}}, null, new int[] {0});
        other.fit(new float[][] {{3}}, null, new int[] {0});
        assertThat(copy.mlp().parameters()).containsExactly(other.mlp().parameters());
        assertThat(copy.adam().secondMoments()).containsExactly(other.adam().secondMoments());
        // its own state is not shared: the other steps on alone
        other.fit(new float[][] {{1}}, null, new int[] {1});
        assertThat(copy.mlp().parameters()).isNotEqualTo(other.mlp().parameters());
    }

    @Test
    void aCopyFromAnotherShapeIsRefused() {
        final StudentOptimizer wide = new StudentOptimizer(Mlp.of(new int[] {2, 2}, new float[6]),
                new Adam(LEARNING_RATE, 0.9f, 0.999f, 1e-8f, 6), new StepConfig(0, 1, new float[] {0},
                new float[] {0}), 0);
        assertThatThrownBy(() -> optimizer(new float[4], 0.0, 1.0, 0).copyFrom(wide))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("widths [2, 2]");
    }

    @Test
    void refusesLabelsOutsideTheClasses() {
        final StudentOptimizer opt = optimizer(new float[4], 0.0, 1.0, 0);
        assertThatThrownBy(() -> opt.fit(new float[][] {{1}}, null, new int[] {2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 2");
    }
}
