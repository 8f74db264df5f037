package dev.kdstream.model.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

/**
 * Model bytes come from files and from a topic anyone with write access can shape: what DL4J would
 * read with Java deserialization, a class name Jackson would instantiate, and a zip bomb are refused
 * with a reason before DL4J sees the bytes.
 */
class HostileModelBytesTest {

    private static final String FILE = "student-format1.kdm";
    private static final String NETWORK = "network.dl4j.zip";
    private static final Path ORIGIN = Path.of("student-checkpoints-0@7");

    @Test
    void theUnchangedStudentLoads() throws IOException {
        assertThat(StudentFile.fromBytes(FILE, student()).parameterCount()).isEqualTo(3490);
    }

    @Test
    void anEntryDl4jWouldJavaDeserializeIsRefused() throws IOException {
        final Map<String, byte[]> network = networkEntries();
        network.put("preprocessor.bin", javaSerialized(new HashMap<>(Map.of("a", "b"))));
        assertThatThrownBy(() -> StudentFile.fromBytes(FILE, withNetwork(network)))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("refused: entry 'preprocessor.bin' is not part of a kd-stream network");
    }

    @Test
    void aConfigurationNamingAClassOutsideDl4jIsRefused() throws IOException {
        final Map<String, byte[]> network = networkEntries();
        final String json = new String(network.get("configuration.json"), StandardCharsets.UTF_8);
        final String relu = "\"org.nd4j.linalg.activations.impl.ActivationReLU\"";
        assertThat(json).contains(relu);
        network.put("configuration.json", json.replaceFirst(relu, "\"com.example.Gadget\"")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> StudentFile.fromBytes(FILE, withNetwork(network)))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("refused: the network configuration names class 'com.example.Gadget'");
    }

    @Test
    void aBombInTheArchiveIsRefusedBeforeItExpands() throws IOException {
        final Map<String, byte[]> archive = BoundedZip.read(ORIGIN, student(), ZipLimits.ENSEMBLE);
        archive.put("padding", new byte[(int) ZipLimits.STUDENT.maxEntryBytes() + 1]);
        final byte[] bomb = BoundedZip.write(archive);
        assertThat(bomb.length).as("deflated zeros: small on the topic").isLessThan(100_000);
        assertThatThrownBy(() -> StudentFile.fromBytes(FILE, bomb))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("refused: entry 'padding' expands beyond 33554432 bytes");
    }

    @Test
    void aBombInsideTheNetworkIsRefused() throws IOException {
        final Map<String, byte[]> network = networkEntries();
        network.put("coefficients.bin", new byte[(int) ZipLimits.STUDENT.maxEntryBytes() + 1]);
        assertThatThrownBy(() -> StudentFile.fromBytes(FILE, withNetwork(network)))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("refused: entry 'coefficients.bin' expands beyond");
    }

    @Test
    void manySmallEntriesAddUpToTheTotalLimit() {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        final ZipLimits limits = new ZipLimits(8, 1000, 2500);
        for (int i = 0; i < 3; i++) {
            entries.put("e" + i, new byte[1000]);
        }
        assertThatThrownBy(() -> BoundedZip.read(ORIGIN, BoundedZip.write(entries), limits))
                .hasMessageContaining("refused: the model expands beyond its limit");
        entries.remove("e2");
        assertThat(BoundedZip.read(ORIGIN, BoundedZip.write(entries), limits)).hasSize(2);
    }

    @Test
    void tooManyEntriesOrARepeatedNameAreRefused() throws IOException {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 9; i++) {
            entries.put("e" + i, new byte[1]);
        }
        assertThatThrownBy(() -> BoundedZip.read(ORIGIN, BoundedZip.write(entries), ZipLimits.STUDENT))
                .hasMessageContaining("refused: more than 8 entries");

        final ByteArrayOutputStream twice = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(twice)) {
            for (int i = 0; i < 2; i++) {
                // ZipOutputStream refuses a repeated name, so the second one differs in case only
                // until the bytes are patched below
                zip.putNextEntry(new ZipEntry(i == 0 ? "manifest.json" : "MANIFEST.json"));
                zip.write(new byte[] {'{', '}'});
                zip.closeEntry();
            }
        }
        final byte[] bytes = twice.toByteArray();
        final String latin = new String(bytes, StandardCharsets.ISO_8859_1).replace("MANIFEST.json", "manifest.json");
        assertThatThrownBy(() -> BoundedZip.read(ORIGIN, latin.getBytes(StandardCharsets.ISO_8859_1),
                ZipLimits.STUDENT)).hasMessageContaining("refused: entry 'manifest.json' appears twice");
    }

    private static byte[] student() throws IOException {
        try (InputStream in = HostileModelBytesTest.class.getResourceAsStream(FILE)) {
            assertThat(in).as(FILE).isNotNull();
            return in.readAllBytes();
        }
    }

    private static Map<String, byte[]> networkEntries() throws IOException {
        return BoundedZip.read(ORIGIN, BoundedZip.read(ORIGIN, student(), ZipLimits.STUDENT).get(NETWORK),
                ZipLimits.STUDENT);
    }

    /** The student with its network entry replaced by {@code network}, zipped without any check. */
    private static byte[] withNetwork(final Map<String, byte[]> network) throws IOException {
        final Map<String, byte[]> archive = BoundedZip.read(ORIGIN, student(), ZipLimits.STUDENT);
        archive.put(NETWORK, BoundedZip.write(network));
        return BoundedZip.write(archive);
    }

    private static byte[] javaSerialized(final Object o) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }
}
