package dev.kdstream.model.file;

import java.nio.file.Path;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import dev.kdstream.model.definition.StudentModel;

/**
 * Saves and loads a {@link StudentModel} with its Adam state, so that training resumes exactly
 * where it stopped (the same bytes are the payload of a checkpoint record).
 */
public final class StudentFile {

    private static final String NETWORK = "network.dl4j.zip";

    private StudentFile() {
    }

    public static void save(final StudentModel student, final Path file) {
        ModelArchive.write(file, student.manifest(), Map.of(NETWORK, NetworkBytes.write(student.network(), true)));
    }

    public static StudentModel load(final Path file) {
        return decode(ModelArchive.read(file, StudentManifest.KIND, StudentManifest.FORMAT_VERSION,
                ZipLimits.STUDENT));
    }

    public static byte[] toBytes(final StudentModel student) {
        return ModelArchive.toBytes(student.manifest(), Map.of(NETWORK, NetworkBytes.write(student.network(), true)));
    }

    /** @param origin names the bytes in error messages (e.g. a topic, partition and offset) */
    public static StudentModel fromBytes(final String origin, final byte[] bytes) {
        return decode(ModelArchive.fromBytes(Path.of(origin), bytes, StudentManifest.KIND,
                StudentManifest.FORMAT_VERSION, ZipLimits.STUDENT));
    }

    private static StudentModel decode(final ModelArchive.Contents contents) {
        final StudentManifest manifest = contents.manifestAs(StudentManifest.class);
        final MultiLayerNetwork net = NetworkBytes.readNetwork(contents.file(), contents.entry(NETWORK),
                ZipLimits.STUDENT);
        if (net.layerInputSize(0) != manifest.inputWidth()
                || net.layerSize(net.getnLayers() - 1) != manifest.numClasses()) {
            throw new ModelFileException(contents.file() + ": student network is " + net.layerInputSize(0) + " -> "
                    + net.layerSize(net.getnLayers() - 1) + ", manifest says " + manifest.inputWidth() + " -> "
                    + manifest.numClasses());
        }
        return new StudentModel(net, manifest);
    }
}
