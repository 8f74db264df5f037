package dev.kdstream.bench;

import java.util.concurrent.TimeUnit;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The machine's practical limit through the same ND4J backend: one large single-precision GEMM,
 * {@value #SIZE} cubed, column-major, into a preallocated result. FLOP per call = 2 * m * n * k.
 *
 * <p>Not final: JMH generates subclasses of benchmark classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SingleGemmBenchmark {

    static final int SIZE = 1024;
    static final double FLOPS_PER_CALL = 2.0 * SIZE * SIZE * SIZE;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup
    public void setUp() {
        a = Nd4j.randn(DataType.FLOAT, SIZE, SIZE).dup('f');
        b = Nd4j.randn(DataType.FLOAT, SIZE, SIZE).dup('f');
        c = Nd4j.create(DataType.FLOAT, new long[] {SIZE, SIZE}, 'f');
    }

    @Benchmark
    public INDArray sgemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
}
