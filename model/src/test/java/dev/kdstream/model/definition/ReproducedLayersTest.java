package dev.kdstream.model.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

class ReproducedLayersTest {

    @Test
    void acceptsReluHiddenAndIdentityOutputLayers() {
        assertThat(ReproducedLayers.requireDense(new DenseLayer.Builder().nIn(2).nOut(3)
                .activation(Activation.RELU).build(), "layer 0", false, "Networks.student")).isNotNull();
        assertThat(ReproducedLayers.requireDense(new OutputLayer.Builder(DistillationLoss.hardLabelsOnly()).nIn(3)
                .nOut(2).activation(Activation.IDENTITY).build(), "layer 1", true, "Networks.student")).isNotNull();
    }

    @Test
    void refusesWhatTheHandWrittenStepDoesNotDo() {
        assertThatThrownBy(() -> ReproducedLayers.requireDense(new DenseLayer.Builder().nIn(2).nOut(3)
                .activation(Activation.SIGMOID).build(), "layer 0", false, "Networks.student"))
                .hasMessageContaining("layer 0 has activation").hasMessageContaining("expected ReLU");
        assertThatThrownBy(() -> ReproducedLayers.requireDense(new DenseLayer.Builder().nIn(2).nOut(3)
                .activation(Activation.RELU).build(), "layer t0", true, "Networks.teacherGroup"))
                .hasMessageContaining("expected a dense output layer as in Networks.teacherGroup");
        assertThatThrownBy(() -> ReproducedLayers.requireDense(new DenseLayer.Builder().nIn(2).nOut(3)
                .activation(Activation.RELU).gradientNormalization(GradientNormalization.ClipL2PerLayer).build(),
                "layer 0", false, "Networks.student"))
                .hasMessageContaining("gradient normalisation");
    }

    @Test
    void oneFixedAdamForTheWholeNetwork() {
        final Adam adam = ReproducedLayers.sameAdam(null, new Adam(1e-3), "layer 0");
        assertThat(ReproducedLayers.sameAdam(adam, new Adam(1e-3), "layer 1")).isEqualTo(adam);
        assertThatThrownBy(() -> ReproducedLayers.sameAdam(adam, new Adam(1e-2), "layer 1"))
                .hasMessageContaining("one Adam configuration");
        assertThatThrownBy(() -> ReproducedLayers.sameAdam(null, new Sgd(0.1), "layer 0"))
                .hasMessageContaining("only Adam");
    }
}
