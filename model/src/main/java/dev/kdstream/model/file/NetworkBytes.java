package dev.kdstream.model.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.Deflater;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.json.Json;
import dev.kdstream.model.definition.DistillationLoss;

/**
 * DL4J's own serialisation, to and from bytes, with errors that name where the bytes came from. What
 * is read is checked before DL4J sees it ({@link #sanitised}): model bytes come from files and from a
 * topic anyone with write access can shape, and DL4J's loader would deserialize Java objects.
 */
final class NetworkBytes {

    /** The entry of a DL4J model zip that holds the network's configuration as JSON. */
    private static final String CONFIGURATION = "configuration.json";
    /** What {@code ModelSerializer.writeModel} writes for our networks, with or without the updater. */
    private static final Set<String> ENTRIES = new TreeSet<>(List.of(CONFIGURATION, "coefficients.bin",
            "updaterState.bin"));
    /** Where Jackson's polymorphic type names are in DL4J's configuration JSON. */
    private static final String CLASS_FIELD = "@class";
    /** The packages of the classes a configuration may name, and our loss. */
    private static final List<String> CLASS_PREFIXES = List.of("org.deeplearning4j.nn.conf.",
            "org.deeplearning4j.nn.weights.", "org.nd4j.linalg.activations.", "org.nd4j.linalg.learning.",
            "org.nd4j.linalg.lossfunctions.", "org.nd4j.linalg.schedule.", DistillationLoss.class.getName());
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

    /**
     * @param limits how much the DL4J zip may expand to
     * @throws ModelFileException when the bytes are refused (see {@link #sanitised}) or DL4J cannot read them
     */
    static ComputationGraph readGraph(final Path origin, final byte[] bytes, final ZipLimits limits) {
        final byte[] safe = sanitised(origin, bytes, limits);
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(safe), false);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(origin + ": corrupt network in model file: " + e.getMessage(), e);
        }
    }

    /** Like {@link #readGraph}, for a {@link MultiLayerNetwork} with its updater state. */
    static MultiLayerNetwork readNetwork(final Path origin, final byte[] bytes, final ZipLimits limits) {
        final byte[] safe = sanitised(origin, bytes, limits);
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(safe), true);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(origin + ": corrupt network in model file: " + e.getMessage(), e);
        }
    }

    /**
     * The DL4J zip as DL4J may see it: read within {@code limits}; only the entries kd-stream writes
     * (DL4J reads others, such as {@code preprocessor.bin}, with Java deserialization); a
     * configuration whose every {@code @class} (Jackson instantiates it by name) is a DL4J or ND4J
     * configuration class or ours; {@link #MOVED_CLASSES} renamed.
     */
    static byte[] sanitised(final Path origin, final byte[] zip, final ZipLimits limits) {
        final Map<String, byte[]> entries = BoundedZip.read(origin, zip, limits);
        for (final String name : entries.keySet()) {
            if (!ENTRIES.contains(name)) {
                throw ModelFileException.refused(origin + ": refused: entry '" + name + "' is not part of a kd-stream "
                        + "network (allowed: " + String.join(", ", ENTRIES) + ")");
            }
        }
        final byte[] configuration = entries.get(CONFIGURATION);
        if (configuration == null) {
            throw new ModelFileException(origin + ": corrupt network in model file: no " + CONFIGURATION);
        }
        String json = new String(configuration, StandardCharsets.UTF_8);
        for (final Map.Entry<String, String> moved : MOVED_CLASSES.entrySet()) {
            json = json.replace('"' + moved.getKey() + '"', '"' + moved.getValue() + '"');
        }
        final JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ModelFileException(origin + ": corrupt network configuration: " + e.getMessage(), e);
        }
        for (final JsonNode named : tree.findValues(CLASS_FIELD)) {
            final String type = named.asText();
            if (CLASS_PREFIXES.stream().noneMatch(type::startsWith)) {
                throw ModelFileException.refused(origin + ": refused: the network configuration names class '" + type
                        + "', which is not a DL4J or ND4J configuration class");
            }
        }
        entries.put(CONFIGURATION, json.getBytes(StandardCharsets.UTF_8));
        // always written again rather than passing the bytes as given: DL4J then reads exactly the
        // entries checked here, whatever a crafted zip holds beyond what ZipInputStream shows (its
        // central directory, data after the last entry). Stored, not compressed: DL4J unzips it at once.
        return BoundedZip.write(entries, Deflater.NO_COMPRESSION);
    }
}
