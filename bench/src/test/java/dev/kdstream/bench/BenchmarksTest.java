package dev.kdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The benchmarked pairs compute the same thing, so their times compare like with like. */
class BenchmarksTest {

    @Test
    void dl4jAndFusedEnsembleGiveTheSameLogits() {
        final TeacherInferenceBenchmark bench = new TeacherInferenceBenchmark();
        bench.batch = 64;
        bench.setUp();
        final double[][] dl4j = bench.dl4j().toDoubleMatrix();
        final double[][] fused = bench.fused().toDoubleMatrix();
        assertThat(fused).hasDimensions(64, Models.CLASSES);
        for (int i = 0; i < dl4j.length; i++) {
            assertThat(fused[i]).containsExactly(dl4j[i], within(1e-4));
        }
    }

    @Test
    void flopsPerRecordAreTheSeedEnsembles() {
        assertThat(Models.ensembleFlopsPerRecord()).isEqualTo(2L * 12 * (20 * 256 + 256 * 128 + 128 * 64 + 64 * 2));
    }

    @Test
    void servedStudentAndDl4jOutputGiveTheSameLogits() {
        final StudentServingBenchmark bench = new StudentServingBenchmark();
        bench.setUp();
        assertThat(bench.servedStudent()).containsExactly(bench.dl4jOutput().toDoubleVector(), within(1e-5));
    }

    @Test
    void theSingleGemmMultiplies() {
        final SingleGemmBenchmark bench = new SingleGemmBenchmark();
        bench.setUp();
        assertThat(bench.sgemm().shape()).containsExactly(SingleGemmBenchmark.SIZE, SingleGemmBenchmark.SIZE);
        assertThat(bench.sgemm().sumNumber().doubleValue()).isFinite();
    }
}
