package dev.kdstream.model.kernel;

import java.util.Arrays;

/**
 * What a {@link StudentOptimizer} step needs besides Adam's settings: the distillation loss's
 * weighting and the fixed L2 coefficient of each layer's weights and biases (0 for none).
 *
 * @param alpha       weight of the soft (distillation) term; 0 trains on hard labels only
 * @param temperature softmax temperature of the soft term
 * @param l2Weights   per layer, added to the weights' gradient as {@code l2 * w} before Adam
 * @param l2Biases    per layer, the same for the biases
 */
public record StepConfig(double alpha, double temperature, float[] l2Weights, float[] l2Biases) {

    public StepConfig {
        if (l2Weights.length != l2Biases.length) {
            throw new IllegalArgumentException("one L2 coefficient per layer for weights and for biases");
        }
        l2Weights = l2Weights.clone();
        l2Biases = l2Biases.clone();
    }

    /** The same L2 coefficient on every layer's weights and biases, as PyTorch's Adam(weight_decay) applies it. */
    public static StepConfig of(final double alpha, final double temperature, final int layers, final double weightDecay) {
        final float[] l2 = new float[layers];
        Arrays.fill(l2, (float) weightDecay);
        return new StepConfig(alpha, temperature, l2, l2);
    }
}
