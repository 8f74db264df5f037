package dev.kdstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A 2-2-2 MLP worked by hand: W0 = [[1, -1], [2, 0.5]], b0 = [0.5, -1], W1 = [[1, -2], [3, 1]],
 * b1 = [0, 1]. For x = [1, 2]: hidden x W0 + b0 = [5.5, -1], ReLU [5.5, 0]; logits
 * [5.5, -10]. For x = [0, 0]: hidden [0.5, 0], logits [0.5, 0].
 */
class MlpTest {

    private static final int[] WIDTHS = {2, 2, 2};
    /** Per layer the weight rows, then the biases. */
    private static final float[] PARAMETERS = {1, -1, 2, 0.5f, 0.5f, -1, 1, -2, 3, 1, 0, 1};

    private static Mlp mlp() {
        return Mlp.of(WIDTHS, PARAMETERS);
    }

    @Test
    void forwardOfOneRecord() {
        final float[] logits = new float[2];
        mlp().forward(new float[] {1, 2}, new float[2][2], logits);
        assertThat(logits).containsExactly(5.5f, -10f);
    }

    @Test
    void batchForwardKeepsEveryLayer() {
        final float[][][] activations = {{{1, 2}, {0, 0}}, new float[2][2], new float[2][2]};
        mlp().forward(activations, 2);
        assertThat(activations[1]).isDeepEqualTo(new float[][] {{5.5f, 0}, {0.5f, 0}});
        assertThat(activations[2]).isDeepEqualTo(new float[][] {{5.5f, -10}, {0.5f, 0}});
    }

    @Test
    void backwardSumsTheGradientsOverTheBatch() {
        final Mlp mlp = mlp();
        final float[][][] activations = {{{1, 2}, {0, 0}}, new float[2][2], new float[2][2]};
        mlp.forward(activations, 2);
        // dL/dlogits per record
        final float[][][] deltas = {new float[2][2], new float[2][2], {{1, 2}, {1, 0}}};
        final float[][][] gradW = {new float[2][2], new float[2][2]};
        final float[][] gradB = {new float[2], new float[2]};
        gradW[0][0][0] = 99; // overwritten, not added to
        mlp.backward(activations, deltas, 2, gradW, gradB);
        // layer 1: h^T d = [[5.5, 11], [0, 0]] + [[0.5, 0], [0, 0]]; biases d summed
        assertThat(gradW[1]).isDeepEqualTo(new float[][] {{6, 11}, {0, 0}});
        assertThat(gradB[1]).containsExactly(2, 2);
        // hidden deltas W1 d, zero where the unit was off: record 1 [-3, 0], record 2 [1, 0]
        assertThat(deltas[1]).isDeepEqualTo(new float[][] {{-3, 0}, {1, 0}});
        // layer 0: x^T delta = [[-3, 0], [-6, 0]] (record 2's input is zero)
        assertThat(gradW[0]).isDeepEqualTo(new float[][] {{-3, 0}, {-6, 0}});
        assertThat(gradB[0]).containsExactly(-2, 0);
    }

    @Test
    void parametersRoundTripInOneOrder() {
        final Mlp mlp = mlp();
        assertThat(mlp.parameters()).containsExactly(PARAMETERS);
        assertThat(mlp.parameterCount()).isEqualTo(12);
        assertThat(mlp.weights(1)[1]).containsExactly(3, 1);
        assertThat(mlp.biases(0)).containsExactly(0.5f, -1);
        assertThat(mlp.maxHidden()).isEqualTo(2);
        assertThat(Mlp.of(new int[] {3, 2}, new float[8]).maxHidden()).isZero();
    }

    @Test
    void refusesParametersOfAnotherShape() {
        assertThatThrownBy(() -> Mlp.of(WIDTHS, new float[11]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("take 12 parameters, got 11");
    }
}
