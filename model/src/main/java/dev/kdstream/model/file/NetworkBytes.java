package dev.kdstream.model.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import dev.kdstream.model.definition.DistillationLoss;

/** DL4J's own serialisation, to and from bytes, with errors that name where the bytes came from. */
final class NetworkBytes {

    /** The entry of a DL4J model zip that holds the network's configuration as JSON. */
    private static final String CONFIGURATION = "configuration.json";
    /**
     * Our classes that DL4J's configuration JSON names, by the names files of format version 1
     * written before they moved: DL4J looks a custom loss up by its Java class name, so a file
     * written before a move would not load. Renamed on read, so old files and checkpoints load.
     */
    private static final Map<String, String> MOVED_CLASSES = Map.of(
            "dev.kdstream.common.model.DistillationLoss", DistillationLoss.class.getName());

    private NetworkBytes() {
    }

    static byte[] write(final Model net, final boolean withUpdater) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(net, out, withUpdater);
        } catch (IOException e) {
            throw new ModelFileException("cannot serialise network: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    static ComputationGraph readGraph(final Path origin, final byte[] bytes) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(withCurrentClassNames(bytes)),
                    false);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(origin + ": corrupt network in model file: " + e.getMessage(), e);
        }
    }

    static MultiLayerNetwork readNetwork(final Path origin, final byte[] bytes) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(withCurrentClassNames(bytes)),
                    true);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(origin + ": corrupt network in model file: " + e.getMessage(), e);
        }
    }

    /** The model zip with {@link #MOVED_CLASSES} renamed in its configuration; the same bytes if none appears. */
    static byte[] withCurrentClassNames(final byte[] zip) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(zip.length);
        boolean renamed = false;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream rewritten = new ZipOutputStream(out)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().equals(CONFIGURATION)) {
                    String json = new String(bytes, StandardCharsets.UTF_8);
                    for (final Map.Entry<String, String> moved : MOVED_CLASSES.entrySet()) {
                        final String before = '"' + moved.getKey() + '"';
                        if (json.contains(before)) {
                            json = json.replace(before, '"' + moved.getValue() + '"');
                            renamed = true;
                        }
                    }
                    bytes = json.getBytes(StandardCharsets.UTF_8);
                }
                rewritten.putNextEntry(new ZipEntry(entry.getName()));
                rewritten.write(bytes);
                rewritten.closeEntry();
            }
        }
        return renamed ? out.toByteArray() : zip;
    }
}
