package dev.kdstream.model.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.model.kernel.LossOracle;
import dev.kdstream.model.kernel.Probabilities;

class DistillationLossTest {

    private static final double T = 3.0;
    private static final double ALPHA = 0.7;

    private final double[][] logits = {{0.4, -1.1, 2.3}, {1.0, 0.0, -1.0}, {-0.2, 0.9, 0.1}};
    private final double[][] soft = {{0.1, 0.1, 0.8}, {0.5, 0.3, 0.2}, {0.2, 0.6, 0.2}};
    private final int[] labels = {2, 0, LabelMatrix.UNLABELLED};

    private INDArray z() {
        return Nd4j.createFromArray(logits);
    }

    private INDArray labelMatrix() {
        final float[][] q = new float[3][];
        for (int i = 0; i < 3; i++) {
            q[i] = new float[] {(float) soft[i][0], (float) soft[i][1], (float) soft[i][2]};
        }
        return LabelMatrix.of(q, labels, 3).castTo(DataType.DOUBLE);
    }

    @Test
    void scoreIsTheMeanOfThePureFunctionOverTheBatch() {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += LossOracle.distillationLoss(logits[i], soft[i], labels[i], T, ALPHA);
        }
        final DistillationLoss loss = new DistillationLoss(ALPHA, T);
        assertThat(loss.computeScore(labelMatrix(), z(), new ActivationIdentity(), null, true))
                .isCloseTo(sum / 3, within(1e-6)); // soft targets travel as float32
        assertThat(loss.computeScoreArray(labelMatrix(), z(), new ActivationIdentity(), null).toDoubleVector())
                .hasSize(3);
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheScore() {
        final DistillationLoss loss = new DistillationLoss(ALPHA, T);
        final double[][] g = loss.computeGradient(labelMatrix(), z(), new ActivationIdentity(), null).toDoubleMatrix();
        final double h = 1e-6;
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                final INDArray up = z();
                final INDArray down = z();
                up.putScalar(i, c, logits[i][c] + h);
                down.putScalar(i, c, logits[i][c] - h);
                final double numeric = (loss.computeScore(labelMatrix(), up, new ActivationIdentity(), null, false)
                        - loss.computeScore(labelMatrix(), down, new ActivationIdentity(), null, false)) / (2 * h);
                assertThat(g[i][c]).as("row %d class %d", i, c).isCloseTo(numeric, within(1e-6));
            }
        }
    }

    @Test
    void maskZeroesMaskedRows() {
        final DistillationLoss loss = new DistillationLoss(ALPHA, T);
        final INDArray mask = Nd4j.createFromArray(new double[] {1, 0, 1}).reshape(3, 1);
        final double[][] g = loss.computeGradient(labelMatrix(), z(), new ActivationIdentity(), mask).toDoubleMatrix();
        assertThat(g[1]).containsExactly(new double[] {0, 0, 0}, within(1e-15));
        assertThat(g[0][2]).isNotZero();
    }

    @Test
    void refusesSoftmaxOutputsAndWrongLabelWidths() {
        final DistillationLoss loss = new DistillationLoss(ALPHA, T);
        assertThatThrownBy(() -> loss.computeScore(labelMatrix(), z(), new ActivationSoftmax(), null, true))
                .hasMessageContaining("IDENTITY");
        assertThatThrownBy(() -> loss.computeScore(Nd4j.zeros(3, 3), z(), new ActivationIdentity(), null, true))
                .hasMessageContaining("2C = 6 columns");
    }

    @Test
    void survivesTheNetworkConfigurationsJsonRoundTrip() {
        final var net = Networks.student(4, 3, Hyperparameters.defaults().student(), new DistillationLoss(ALPHA, T), 1);
        final MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        final OutputLayer out = (OutputLayer) back.getConf(back.getConfs().size() - 1).getLayer();
        assertThat(out.getLossFn()).isEqualTo(new DistillationLoss(ALPHA, T));
    }
}
