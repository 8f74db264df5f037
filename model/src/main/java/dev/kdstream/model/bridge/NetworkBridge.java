package dev.kdstream.model.bridge;

import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.FixedSchedule;

import dev.kdstream.model.definition.DistillationLoss;
import dev.kdstream.model.definition.ReproducedLayers;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.kernel.Adam;
import dev.kdstream.model.kernel.Mlp;
import dev.kdstream.model.kernel.StepConfig;
import dev.kdstream.model.kernel.StudentOptimizer;

/**
 * Weights in and out of a student's DL4J network: an {@link Mlp} for serving, a
 * {@link StudentOptimizer} with the network's Adam state and iteration count for training, and the
 * optimiser's state written back, so the network saved is the one the kernel trained.
 */
public final class NetworkBridge {

    private NetworkBridge() {
    }

    /** A copy of the network's parameters. */
    public static Mlp mlpOf(final MultiLayerNetwork network) {
        final ParameterLayout layout = ParameterLayout.of(network);
        return Mlp.of(layout.widths(), layout.gather(network.params().toFloatVector(), null));
    }

    /** An optimiser over a copy of the student's parameters, Adam moments and iteration count. */
    public static StudentOptimizer optimizerOf(final StudentModel student) {
        final MultiLayerNetwork network = student.network();
        final ParameterLayout layout = ParameterLayout.of(network);
        final StepConfig config = stepConfig(network);
        org.nd4j.linalg.learning.config.Adam adamConfig = null;
        for (int l = 0; l < network.getnLayers(); l++) {
            final BaseLayer dense = (BaseLayer) network.getLayerWiseConfigurations().getConf(l).getLayer();
            adamConfig = ReproducedLayers.sameAdam(adamConfig, dense.getUpdaterByParam("W"), "layer " + l);
            adamConfig = ReproducedLayers.sameAdam(adamConfig, dense.getUpdaterByParam("b"), "layer " + l);
        }
        final Adam adam = adamOf(adamConfig, layout.size());
        final int[][] moments = momentIndex(network, layout.size());
        final float[] state = stateView(network).toFloatVector();
        System.arraycopy(layout.gather(state, moments[0]), 0, adam.firstMoments(), 0, layout.size());
        System.arraycopy(layout.gather(state, moments[1]), 0, adam.secondMoments(), 0, layout.size());
        final Mlp mlp = Mlp.of(layout.widths(), layout.gather(network.params().toFloatVector(), null));
        return new StudentOptimizer(mlp, adam, config, network.getIterationCount());
    }

    /** A kernel Adam with DL4J's Adam configuration (learning rate, betas, epsilon), moments zero. */
    public static Adam adamOf(final org.nd4j.linalg.learning.config.Adam config, final int length) {
        return new Adam((float) config.getLearningRate(), (float) config.getBeta1(), (float) config.getBeta2(),
                (float) config.getEpsilon(), length);
    }

    /** Puts the optimiser's parameters, Adam state and iteration count into the student's network. */
    public static void write(final StudentOptimizer optimizer, final StudentModel student) {
        final MultiLayerNetwork network = student.network();
        final ParameterLayout layout = ParameterLayout.of(network);
        if (!Arrays.equals(layout.widths(), optimizer.mlp().widths())) {
            throw new IllegalArgumentException("the network has widths " + Arrays.toString(layout.widths())
                    + ", the optimiser " + Arrays.toString(optimizer.mlp().widths()));
        }
        final int[][] moments = momentIndex(network, layout.size());
        final INDArray flatParams = network.params();
        final INDArray stateView = stateView(network);
        final float[] params = new float[layout.size()];
        final float[] state = new float[(int) stateView.length()];
        layout.scatter(optimizer.mlp().parameters(), null, params);
        layout.scatter(optimizer.adam().firstMoments(), moments[0], state);
        layout.scatter(optimizer.adam().secondMoments(), moments[1], state);
        // assign into the existing views: the layers' parameter and updater views stay attached
        flatParams.assign(Nd4j.createFromArray(params).reshape(flatParams.shape()));
        stateView.assign(Nd4j.createFromArray(state).reshape(stateView.shape()));
        network.setIterationCount(optimizer.iterationCount());
    }

    /** The loss's weighting and each layer's L2, refusing what the kernel does not reproduce. */
    private static StepConfig stepConfig(final MultiLayerNetwork network) {
        final int layers = network.getnLayers();
        final float[] l2W = new float[layers];
        final float[] l2B = new float[layers];
        for (int l = 0; l < layers; l++) {
            final BaseLayer dense = (BaseLayer) network.getLayerWiseConfigurations().getConf(l).getLayer();
            if (dense.getIDropout() != null) {
                throw new IllegalArgumentException("layer " + l + " uses dropout, which the kernel does not reproduce");
            }
            l2W[l] = l2Of(dense.getRegularizationByParam("W"), l, "W");
            l2B[l] = l2Of(dense.getRegularizationByParam("b"), l, "b");
        }
        final BaseOutputLayer output = (BaseOutputLayer) network.getLayerWiseConfigurations()
                .getConf(layers - 1).getLayer();
        if (!(output.getLossFn() instanceof DistillationLoss loss)) {
            throw new IllegalArgumentException("the output layer's loss is " + output.getLossFn()
                    + "; expected the DistillationLoss of Networks.student");
        }
        return new StepConfig(loss.alpha(), loss.temperature(), l2W, l2B);
    }

    /** The fixed L2 coefficient of a parameter (0 for none); anything else is not reproduced. */
    private static float l2Of(final List<Regularization> regularization, final int layer, final String param) {
        if (regularization == null || regularization.isEmpty()) {
            return 0.0f;
        }
        if (regularization.size() == 1 && regularization.get(0) instanceof L2Regularization l2
                && l2.getL2() instanceof FixedSchedule) {
            return (float) l2.getL2().valueAt(0, 0);
        }
        throw new IllegalArgumentException("layer " + layer + " param " + param + " has regularisation "
                + regularization + "; only a fixed L2 is reproduced");
    }

    private static INDArray stateView(final MultiLayerNetwork network) {
        return network.getUpdater(true).getStateViewArray();
    }

    /**
     * Per element of the flat parameter vector, where its Adam m ([0]) and v ([1]) sit in the updater
     * state view: per block of parameters sharing a configuration, [m | v] over the block's slice
     * ({@code UpdaterBlock}, {@code AdamUpdater.setStateViewArray}).
     */
    private static int[][] momentIndex(final MultiLayerNetwork network, final int numParams) {
        final Updater updater = network.getUpdater(true);
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            throw new IllegalArgumentException("unexpected updater " + updater);
        }
        final int[] m = new int[numParams];
        final int[] v = new int[numParams];
        Arrays.fill(m, -1);
        for (final UpdaterBlock block : multi.getUpdaterBlocks()) {
            final int start = block.getParamOffsetStart();
            final int length = block.getParamOffsetEnd() - start;
            final int viewStart = block.getUpdaterViewOffsetStart();
            if (block.getUpdaterViewOffsetEnd() - viewStart != 2 * length) {
                throw new IllegalArgumentException("updater block over params " + start + ".." + (start + length)
                        + " has " + (block.getUpdaterViewOffsetEnd() - viewStart) + " state values, not 2x (Adam)");
            }
            for (int p = 0; p < length; p++) {
                m[start + p] = viewStart + p;
                v[start + p] = viewStart + length + p;
            }
        }
        for (final int s : m) {
            if (s < 0) {
                throw new IllegalArgumentException("a parameter is in no updater block");
            }
        }
        return new int[][] {m, v};
    }
}
