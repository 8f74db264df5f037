package dev.kdstream.teacher.training;

import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import dev.kdstream.model.definition.DistillationLoss;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.ReproducedLayers;

/**
 * What {@link TeacherGroupTrainer} reproduces of a fused teacher group, read from the graph and
 * checked to be all it reproduces: B teachers of one shape as {@link Networks#teacherGroup} builds
 * them (teacher t reads graph input t; dense ReLU layers {@code t{t}_h{l}}, an identity output
 * layer {@code t{t}} with the {@link DistillationLoss}), one Adam with a fixed learning rate, plain
 * dropout, no regularisation. Anything else fails here with a clear message rather than train
 * differently from {@code fit()}.
 *
 * @param widths  layer widths of one teacher: inputs, hidden..., classes
 * @param retain  per dense layer, the retain probability of its INPUT (DL4J's dropOut; 1 = none)
 */
record TeacherGroupLayout(int teachers, int[] widths, double[] retain, Adam adam, DistillationLoss loss) {

    /** Dense layers per teacher, the output layer included. */
    int layers() {
        return widths.length - 1;
    }

    /** The parameter count of one dense layer of all teachers together. */
    long layerParams(final int layer) {
        return (long) teachers * (widths[layer] + 1) * widths[layer + 1];
    }

    static TeacherGroupLayout of(final ComputationGraph graph) {
        final ComputationGraphConfiguration conf = graph.getConfiguration();
        final int teachers = conf.getNetworkOutputs().size();
        int hidden = 0;
        while (conf.getVertices().containsKey(Networks.hiddenName(0, hidden))) {
            hidden++;
        }
        if (hidden == 0) {
            throw new IllegalArgumentException("the teacher group has no layer " + Networks.hiddenName(0, 0)
                    + " (layers: " + conf.getVertices().keySet() + ")");
        }
        final int layers = hidden + 1;
        final int[] widths = new int[layers + 1];
        final double[] retain = new double[layers];
        Adam adam = null;
        DistillationLoss loss = null;
        for (int t = 0; t < teachers; t++) {
            final List<String> input = conf.getVertexInputs().get(layerName(t, 0, layers));
            if (input == null || !input.equals(List.of(conf.getNetworkInputs().get(t)))) {
                throw new IllegalArgumentException("layer " + layerName(t, 0, layers) + " reads " + input
                        + ", expected graph input " + conf.getNetworkInputs().get(t) + " as in Networks.teacherGroup");
            }
            for (int l = 0; l < layers; l++) {
                final String name = layerName(t, l, layers);
                final INDArray w = param(graph, name, "W");
                if (t == 0) {
                    widths[l] = (int) w.size(0);
                    widths[l + 1] = (int) w.size(1);
                } else if (w.size(0) != widths[l] || w.size(1) != widths[l + 1]) {
                    throw new IllegalArgumentException(name + "_W has shape " + Arrays.toString(w.shape())
                            + ", teacher 0's [" + widths[l] + ", " + widths[l + 1] + "]: a group's teachers must "
                            + "have one shape");
                }
                final BaseLayer dense = dense(graph, name, l == layers - 1);
                final double r = retainProbability(dense.getIDropout(), name);
                if (t > 0 && r != retain[l]) {
                    throw new IllegalArgumentException(name + " has dropout retain " + r + ", teacher 0 " + retain[l]);
                }
                retain[l] = r;
                adam = ReproducedLayers.sameAdam(adam, dense.getUpdaterByParam("W"), "layer " + name);
                adam = ReproducedLayers.sameAdam(adam, dense.getUpdaterByParam("b"), "layer " + name);
                if (dense instanceof BaseOutputLayer out) {
                    if (!(out.getLossFn() instanceof DistillationLoss d) || loss != null && !loss.equals(d)) {
                        throw new IllegalArgumentException(name + " has loss " + out.getLossFn()
                                + "; expected the DistillationLoss of Networks.teacherGroup");
                    }
                    loss = d;
                }
            }
        }
        if (retain[0] != 1.0) {
            throw new IllegalArgumentException("dropout on the features (layer " + layerName(0, 0, layers)
                    + ") is not reproduced");
        }
        return new TeacherGroupLayout(teachers, widths, retain, adam, loss);
    }

    /** Networks' name of dense layer {@code l} of teacher {@code t}: hidden {@code t0_h1}, output {@code t0}. */
    String layerName(final int t, final int l) {
        return layerName(t, l, layers());
    }

    private static String layerName(final int t, final int l, final int layers) {
        return l == layers - 1 ? Networks.outputName(t) : Networks.hiddenName(t, l);
    }

    /** A parameter view of the graph ("W" or "b"). */
    static INDArray param(final ComputationGraph graph, final String layer, final String kind) {
        final INDArray p = graph.paramTable().get(layer + "_" + kind);
        if (p == null) {
            throw new IllegalArgumentException("the teacher group has no parameter " + layer + "_" + kind);
        }
        return p;
    }

    private static BaseLayer dense(final ComputationGraph graph, final String name, final boolean output) {
        final BaseLayer base = ReproducedLayers.requireDense(graph.getLayer(name).conf().getLayer(), "layer " + name,
                output, "Networks.teacherGroup");
        if (!isEmpty(base.getRegularization()) || !isEmpty(base.getRegularizationBias())
                || base.getWeightNoise() != null) {
            throw new IllegalArgumentException("layer " + name + " has regularisation or weight noise, which is "
                    + "not reproduced (Networks.teacherGroup configures none)");
        }
        return base;
    }

    private static boolean isEmpty(final List<?> list) {
        return list == null || list.isEmpty();
    }

    private static double retainProbability(final IDropout dropout, final String name) {
        if (dropout == null) {
            return 1.0;
        }
        if (dropout instanceof Dropout d && d.getPSchedule() == null && d.getP() > 0 && d.getP() <= 1) {
            return d.getP();
        }
        throw new IllegalArgumentException("layer " + name + " has dropout " + dropout
                + "; only plain Dropout with a fixed retain probability is reproduced");
    }
}
