package dev.kdstream.model.definition;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.file.ModelFileException;

/**
 * The trained teachers, as fused groups (see {@link Networks#teacherGroup}), plus their manifest.
 * Ensemble logits are the mean of the teachers' logits; soft targets are softmax(mean / T).
 *
 * <p>Not thread-safe (DL4J networks are not): one instance per thread.
 */
public final class TeacherEnsemble {

    private final EnsembleManifest manifest;
    private final List<ComputationGraph> groups;

    public TeacherEnsemble(final EnsembleManifest manifest, final List<ComputationGraph> groups) {
        this.manifest = manifest;
        this.groups = List.copyOf(groups);
        final int branches = groups.stream().mapToInt(g -> g.getConfiguration().getNetworkOutputs().size()).sum();
        if (branches != manifest.teacherCount()) {
            throw new ModelFileException("ensemble " + manifest.versionId() + " declares "
                    + manifest.teacherCount() + " teachers but its networks hold " + branches);
        }
    }

    public EnsembleManifest manifest() {
        return manifest;
    }

    public List<ComputationGraph> groups() {
        return groups;
    }

    /** Mean of the teachers' logits for standardised features, one row per record. */
    public INDArray logits(final INDArray scaledFeatures) {
        INDArray sum = null;
        for (final ComputationGraph group : groups) {
            for (final INDArray branch : group.output(false, Networks.teacherInputs(group, scaledFeatures))) {
                sum = sum == null ? branch.dup() : sum.addi(branch);
            }
        }
        return sum.divi(manifest.teacherCount());
    }

    /** softmax(logits / T) with the ensemble's temperature. */
    public INDArray softTargets(final INDArray ensembleLogits) {
        return Transforms.softmax(ensembleLogits.div(manifest.temperature()), false);
    }

    /** Fails with a clear message when this ensemble was not made for data of this shape. */
    public void requireFits(final int width, final int classes, final String dataSource) {
        if (width != manifest.inputWidth() || classes > manifest.numClasses()) {
            throw new ModelFileException("ensemble " + manifest.versionId() + " was trained on "
                    + manifest.inputWidth() + " features and " + manifest.numClasses() + " classes, but "
                    + dataSource + " has " + width + " features and " + classes + " classes");
        }
    }
}
