package dev.kdstream.model.file;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.kdstream.model.definition.Networks;
import dev.kdstream.model.definition.TeacherEnsemble;

/** Saves and loads a {@link TeacherEnsemble} as one model file (manifest + one entry per group). */
public final class EnsembleFile {

    private EnsembleFile() {
    }

    public static void save(final TeacherEnsemble ensemble, final Path file) {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int g = 0; g < ensemble.groups().size(); g++) {
            entries.put(entryName(g), NetworkBytes.write(ensemble.groups().get(g), false));
        }
        ModelArchive.write(file, ensemble.manifest(), entries);
    }

    public static TeacherEnsemble load(final Path file) {
        final ModelArchive.Contents contents = ModelArchive.read(file, EnsembleManifest.KIND,
                EnsembleManifest.FORMAT_VERSION, ZipLimits.ENSEMBLE);
        final EnsembleManifest manifest = contents.manifestAs(EnsembleManifest.class);
        final List<ComputationGraph> groups = new ArrayList<>();
        for (int g = 0; g < manifest.groupSizes().size(); g++) {
            final ComputationGraph graph = NetworkBytes.readGraph(file, contents.entry(entryName(g)), ZipLimits.ENSEMBLE);
            checkShape(file, manifest, g, graph);
            groups.add(graph);
        }
        return new TeacherEnsemble(manifest, groups);
    }

    private static void checkShape(final Path file, final EnsembleManifest m, final int g, final ComputationGraph graph) {
        final int outputs = graph.getConfiguration().getNetworkOutputs().size();
        if (outputs != m.groupSizes().get(g)) {
            throw new ModelFileException(file + ": group " + g + " holds " + outputs + " teachers, manifest says "
                    + m.groupSizes().get(g));
        }
        try {
            final INDArray[] out = graph.output(false,
                    Networks.teacherInputs(graph, Nd4j.zeros(DataType.FLOAT, 1, m.inputWidth())));
            if (out[0].size(1) != m.numClasses()) {
                throw new ModelFileException(file + ": teachers output " + out[0].size(1) + " classes, manifest says "
                        + m.numClasses());
            }
        } catch (RuntimeException e) {
            if (e instanceof ModelFileException) {
                throw e;
            }
            throw new ModelFileException(file + ": teachers do not take " + m.inputWidth()
                    + " features as the manifest says: " + e.getMessage(), e);
        }
    }

    private static String entryName(final int group) {
        return "group-" + group + ".dl4j.zip";
    }
}
