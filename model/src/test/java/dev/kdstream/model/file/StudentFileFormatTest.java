package dev.kdstream.model.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.model.bridge.NetworkBridge;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.kernel.Mlp;
import dev.kdstream.model.kernel.StudentOptimizer;

/**
 * Format version 1, as the code before the module redesign wrote it: the resource is a distilled
 * student saved by that code ({@code ./kd offline --save}). It must load, predict as DL4J does, and
 * go on training; a file of another format version is refused with a message naming both versions.
 */
class StudentFileFormatTest {

    private static final String FILE = "student-format1.kdm";

    @Test
    void aStudentWrittenBeforeTheRedesignLoadsPredictsAndTrains() throws IOException {
        final StudentModel student = StudentFile.fromBytes(FILE, resource());
        assertThat(student.manifest().formatVersion()).isEqualTo(1);
        assertThat(student.manifest().inputWidth()).isEqualTo(20);
        assertThat(student.parameterCount()).isEqualTo(3490);

        final Mlp mlp = NetworkBridge.mlpOf(student.network());
        final SplittableRandom rng = new SplittableRandom(7);
        final float[][] scratch = new float[2][mlp.maxHidden()];
        final float[] logits = new float[mlp.classes()];
        for (int r = 0; r < 20; r++) {
            final float[] x = new float[20];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) rng.nextGaussian();
            }
            mlp.forward(x, scratch, logits);
            final INDArray dl4j = student.logits(Nd4j.createFromArray(new float[][] {x}));
            for (int c = 0; c < logits.length; c++) {
                assertThat((double) logits[c]).isCloseTo(dl4j.getDouble(0, c), within(1e-5));
            }
        }

        final StudentOptimizer optimizer = NetworkBridge.optimizerOf(student);
        final int before = optimizer.iterationCount();
        optimizer.fit(new float[][] {new float[20]}, new float[][] {{0.5f, 0.5f}}, new int[] {1});
        assertThat(optimizer.iterationCount()).isEqualTo(before + 1);
    }

    @Test
    void aFileOfAnotherFormatVersionIsRefusedNamingBothVersions() throws IOException {
        final byte[] version2 = withManifest(resource(), "\"formatVersion\" : 1", "\"formatVersion\" : 2");
        assertThatThrownBy(() -> StudentFile.fromBytes(FILE, version2))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("model format version 2")
                .hasMessageContaining("reads version 1");
    }

    private static byte[] resource() throws IOException {
        try (InputStream in = StudentFileFormatTest.class.getResourceAsStream(FILE)) {
            assertThat(in).as(FILE).isNotNull();
            return in.readAllBytes();
        }
    }

    /** The same zip with one replacement in manifest.json. */
    private static byte[] withManifest(final byte[] zip, final String from, final String to) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream rewritten = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals("manifest.json")) {
                    final String json = new String(bytes, StandardCharsets.UTF_8);
                    assertThat(json).contains(from);
                    bytes = json.replace(from, to).getBytes(StandardCharsets.UTF_8);
                }
                rewritten.putNextEntry(new ZipEntry(e.getName()));
                rewritten.write(bytes);
                rewritten.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
