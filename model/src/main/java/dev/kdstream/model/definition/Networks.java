package dev.kdstream.model.definition;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The DL4J definitions of the models. Every network ends in an IDENTITY output layer with the
 * {@link DistillationLoss}, so its output is logits.
 *
 * <p>Weights and biases start uniform in +-1/sqrt(fan in), PyTorch's default for {@code nn.Linear},
 * so the comparison with the reference starts from the same distribution (DL4J's own bias init is
 * a constant, which measurably narrowed the ensemble's diversity).
 */
public final class Networks {

    private Networks() {
    }

    /** The student (or, with {@link DistillationLoss#hardLabelsOnly()}, the baseline). */
    public static MultiLayerNetwork student(final int inputs, final int classes,
                                            final Hyperparameters.Student config,
                                            final ILossFunction loss, final long seed) {
        final NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.UNIFORM)
                // l2 is added to the gradient before Adam: PyTorch's Adam(weight_decay=...), biases included
                .l2(config.weightDecay())
                .l2Bias(config.weightDecay())
                .list();
        int in = inputs;
        for (final int width : config.hidden()) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU).build());
            in = width;
        }
        list.layer(new OutputLayer.Builder(loss).nIn(in).nOut(classes).activation(Activation.IDENTITY).build());
        final MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        uniformBiases(net.paramTable(), seed);
        return net;
    }

    /**
     * {@code branches} teachers fused in one graph: one forward/backward pass trains them all, far
     * cheaper than separate networks this small (docs/platform.md, "Fused teacher graph"). Each branch has its own
     * input, so that during training each teacher sees its own shuffle of the data, as separately
     * trained teachers would (a shared minibatch order measurably made the ensemble less diverse);
     * for inference every input gets the same features ({@link #teacherInputs}).
     */
    public static ComputationGraph teacherGroup(final int inputs, final int classes,
                                                final Hyperparameters.Teacher config,
                                                final int branches, final long seed) {
        final ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.UNIFORM)
                .graphBuilder();
        final List<Integer> hidden = config.hidden();
        final String[] outputs = new String[branches];
        for (int b = 0; b < branches; b++) {
            String previous = "features" + b;
            graph.addInputs(previous);
            int in = inputs;
            for (int layer = 0; layer < hidden.size(); layer++) {
                final DenseLayer.Builder dense = new DenseLayer.Builder()
                        .nIn(in).nOut(hidden.get(layer)).activation(Activation.RELU);
                if (layer > 0 && config.dropout() > 0) {
                    // DL4J's dropOut takes the RETAIN probability and acts on the layer's INPUT:
                    // this is "dropout p after the previous hidden layer".
                    dense.dropOut(1.0 - config.dropout());
                }
                final String name = hiddenName(b, layer);
                graph.addLayer(name, dense.build(), previous);
                previous = name;
                in = hidden.get(layer);
            }
            outputs[b] = outputName(b);
            graph.addLayer(outputs[b], new OutputLayer.Builder(DistillationLoss.hardLabelsOnly())
                    .nIn(in).nOut(classes).activation(Activation.IDENTITY).build(), previous);
        }
        graph.setOutputs(outputs);
        final ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        uniformBiases(net.paramTable(), seed);
        return net;
    }

    /** Every bias "X_b" drawn from U(+-1/sqrt(fan in)), fan in being the rows of "X_W". */
    static void uniformBiases(final Map<String, INDArray> params, final long seed) {
        final SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (final Map.Entry<String, INDArray> e : new TreeMap<>(params).entrySet()) {
            if (!e.getKey().endsWith("_b")) {
                continue;
            }
            final INDArray weights = params.get(e.getKey().substring(0, e.getKey().length() - 2) + "_W");
            final double bound = 1.0 / Math.sqrt(weights.size(0));
            final INDArray bias = e.getValue();
            for (long i = 0; i < bias.length(); i++) {
                bias.putScalar(i, rng.nextDouble(-bound, bound));
            }
        }
    }

    /** The same features for every input of a teacher group (inference). */
    public static INDArray[] teacherInputs(final ComputationGraph group, final INDArray features) {
        final INDArray[] inputs = new INDArray[group.getNumInputArrays()];
        Arrays.fill(inputs, features);
        return inputs;
    }

    /** A teacher branch's output layer, and the prefix of its hidden layers' names. */
    public static String outputName(final int branch) {
        return "t" + branch;
    }

    /** Hidden layer {@code layer} of teacher {@code branch}: "t3_h1". */
    public static String hiddenName(final int branch, final int layer) {
        return hiddenName(outputName(branch), layer);
    }

    /** Hidden layer {@code layer} of the teacher whose output layer is {@code teacher}: "t3_h1". */
    public static String hiddenName(final String teacher, final int layer) {
        return teacher + "_h" + layer;
    }
}
