package dev.kdstream.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworksTest {

    private static final Hyperparameters.Teacher TEACHER =
            new Hyperparameters.Teacher(2, List.of(16, 8), 0.3, 1e-3, 1, 32, 1);

    @Test
    void aSeedGivesTheSameParametersWhateverNd4jsRandomState() {
        // DL4J's seeded init gave different weights in different JVMs: ours must not depend on ND4J's RNG
        Nd4j.getRandom().setSeed(1);
        final ComputationGraph a = Networks.teacherGroup(6, 3, TEACHER, 2, 7);
        Nd4j.getRandom().setSeed(2);
        Nd4j.rand(100, 100);
        final ComputationGraph b = Networks.teacherGroup(6, 3, TEACHER, 2, 7);
        assertThat(a.params().toFloatVector()).containsExactly(b.params().toFloatVector());

        final ComputationGraph other = Networks.teacherGroup(6, 3, TEACHER, 2, 8);
        assertThat(other.params().toFloatVector()).isNotEqualTo(a.params().toFloatVector());
    }

    /**
     * DL4J's own seeded init gave the same weights within a JVM but different ones in another JVM,
     * so only a second process shows it.
     */
    @Test
    void aSeedGivesTheSameParametersInAnotherProcess() throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                NetworksTest.class.getName(), "7").redirectErrorStream(false).start();
        final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(out).endsWith(fingerprint(7));
    }

    /** Prints the parameters' fingerprint of a group built with the seed in args[0] (run by the test above). */
    public static void main(final String[] args) {
        System.out.println(fingerprint(Long.parseLong(args[0])));
    }

    private static String fingerprint(final long seed) {
        return "params " + Arrays.hashCode(Networks.teacherGroup(6, 3, TEACHER, 2, seed).params().toFloatVector());
    }

    @Test
    void weightsAndBiasesAreUniformWithinOneOverRootFanIn() {
        final ComputationGraph g = Networks.teacherGroup(6, 3, TEACHER, 2, 7);
        for (final Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            final String layer = e.getKey().substring(0, e.getKey().length() - 2);
            final double bound = 1.0 / Math.sqrt(g.getParam(layer + "_W").size(0));
            final float[] values = Nd4j.toFlattened(e.getValue()).toFloatVector();
            assertThat(max(values)).as(e.getKey()).isLessThanOrEqualTo((float) bound);
            assertThat(min(values)).as(e.getKey()).isGreaterThanOrEqualTo((float) -bound);
            if (values.length >= 48) {
                // uniform on [-bound, bound]: values spread over the range, not a constant
                assertThat(max(values) - min(values)).as(e.getKey()).isGreaterThan((float) bound);
            }
        }
    }

    private static float max(final float[] v) {
        float m = -Float.MAX_VALUE;
        for (final float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static float min(final float[] v) {
        float m = Float.MAX_VALUE;
        for (final float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
