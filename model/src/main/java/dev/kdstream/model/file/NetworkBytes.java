package dev.kdstream.model.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** DL4J's own serialisation, to and from bytes, with errors that name where the bytes came from. */
final class NetworkBytes {

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
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(origin + ": corrupt network in model file: " + e.getMessage(), e);
        }
    }

    static MultiLayerNetwork readNetwork(final Path origin, final byte[] bytes) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), true);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(origin + ": corrupt network in model file: " + e.getMessage(), e);
        }
    }
}
