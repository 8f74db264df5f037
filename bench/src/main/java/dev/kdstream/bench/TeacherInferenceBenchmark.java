package dev.kdstream.bench;

import java.util.concurrent.TimeUnit;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.teacher.inference.EnsembleForward;

/**
 * Ensemble inference, one batch per call: DL4J's {@link TeacherEnsemble#logits} (two fused graphs
 * of 6 teachers) against {@link EnsembleForward} (the same weights on raw ND4J GEMMs).
 * Calls per second x batch = records per second.
 *
 * <p>Not final: JMH generates subclasses of benchmark classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TeacherInferenceBenchmark {

    @Param({"1", "64", "256", "1024"})
    public int batch;

    private TeacherEnsemble ensemble;
    private EnsembleForward fused;
    private INDArray features;

    @Setup
    public void setUp() {
        ensemble = Models.ensemble();
        fused = EnsembleForward.of(ensemble, 1024);
        features = Nd4j.randn(DataType.FLOAT, batch, Models.FEATURES);
    }

    @Benchmark
    public INDArray dl4j() {
        return ensemble.logits(features);
    }

    @Benchmark
    public INDArray fused() {
        return fused.logits(features);
    }
}
