package dev.kdstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import dev.kdstream.model.bridge.NetworkBridge;

class AdamTest {

    @Test
    void firstStepMovesEveryParameterByTheLearningRateAgainstItsGradient() {
        // step 1: m = 0.1 g, v = 0.001 g^2, bias corrections 0.1 and sqrt(0.001): update = lr * g/|g| (eps aside)
        final Adam adam = NetworkBridge.adamOf(new org.nd4j.linalg.learning.config.Adam(0.01), 3);
        final float[] params = {1f, 1f, 1f};
        adam.step(params, new float[] {2f, -0.5f, 0f}, 0);
        assertThat(params[0]).isCloseTo(0.99f, within(1e-6f));
        assertThat(params[1]).isCloseTo(1.01f, within(1e-6f));
        assertThat(params[2]).isEqualTo(1f);
    }

    @Test
    void stepsBitForBitAsNd4jsAdamUpdaterOpThatDl4jRuns() {
        final int n = 1000;
        final SplittableRandom rng = new SplittableRandom(5);
        final float[] ours = new float[n];
        for (int i = 0; i < n; i++) {
            ours[i] = (float) rng.nextGaussian();
        }
        final INDArray theirs = Nd4j.createFromArray(ours.clone()).reshape(1, n);
        final org.nd4j.linalg.learning.config.Adam config = new org.nd4j.linalg.learning.config.Adam(1e-3);
        final GradientUpdater nd4j = config.instantiate(Nd4j.create(DataType.FLOAT, 1, 2L * n), true);
        final Adam adam = NetworkBridge.adamOf(config, n);
        for (int iteration = 0; iteration < 5; iteration++) {
            final float[] gradient = new float[n];
            for (int i = 0; i < n; i++) {
                gradient[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 2)));
            }
            final INDArray update = Nd4j.createFromArray(gradient.clone()).reshape(1, n);
            nd4j.applyUpdater(update, iteration, 0);
            theirs.subi(update);
            adam.step(ours, gradient, iteration);
        }
        final float[] expected = theirs.toFloatVector();
        for (int i = 0; i < n; i++) {
            assertThat(ours[i]).as("parameter %d", i)
                    .isEqualTo(expected[i]);
        }
    }
}
