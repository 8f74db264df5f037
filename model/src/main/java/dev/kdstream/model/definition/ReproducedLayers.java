package dev.kdstream.model.definition;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.learning.config.Adam;

/**
 * What the hand-written training steps (the student kernel's {@code NetworkBridge}, the teachers' GEMM trainer)
 * can reproduce of a DL4J layer, checked up front: a network configured otherwise fails with a
 * message naming the layer, instead of training differently from DL4J without a word.
 */
public final class ReproducedLayers {

    private ReproducedLayers() {
    }

    /**
     * A dense layer with ReLU (hidden) or identity (output: logits), no gradient normalisation.
     *
     * @param name    the layer, as messages name it ("layer 2", "layer t0_h1")
     * @param builtBy where such networks are built, for the message ("Networks.student")
     */
    public static BaseLayer requireDense(final Layer conf, final String name, final boolean output,
                                         final String builtBy) {
        if (!(conf instanceof BaseLayer base) || output != conf instanceof BaseOutputLayer) {
            throw new IllegalArgumentException(name + " is " + conf.getClass().getSimpleName() + "; expected a dense "
                    + (output ? "output" : "hidden") + " layer as in " + builtBy);
        }
        final IActivation fn = base.getActivationFn();
        final boolean ok = output ? fn instanceof ActivationIdentity
                : fn instanceof ActivationReLU relu && relu.getMax() == null
                        && (relu.getThreshold() == null || relu.getThreshold() == 0.0)
                        && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0.0);
        if (!ok) {
            throw new IllegalArgumentException(name + " has activation " + fn + "; expected "
                    + (output ? "identity (logits)" : "ReLU") + " as in " + builtBy);
        }
        if (base.getGradientNormalization() != null && base.getGradientNormalization() != GradientNormalization.None) {
            throw new IllegalArgumentException(name + " uses gradient normalisation "
                    + base.getGradientNormalization() + ", which is not reproduced");
        }
        return base;
    }

    /** The one Adam configuration of a network: every parameter's updater must be {@code previous}'s. */
    public static Adam sameAdam(final Adam previous, final Object updater, final String name) {
        if (!(updater instanceof Adam adam) || adam.getLearningRateSchedule() != null) {
            throw new IllegalArgumentException(name + " has updater " + updater
                    + "; only Adam with a fixed learning rate is reproduced");
        }
        if (previous != null && !previous.equals(adam)) {
            throw new IllegalArgumentException(name + " has updater " + adam + ", another layer " + previous
                    + "; one Adam configuration is expected");
        }
        return adam;
    }
}
