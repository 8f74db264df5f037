package dev.kdstream.bench;

import java.util.concurrent.TimeUnit;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.served.ServedStudent;

/**
 * One record through the student, raw features in, logits out, as the serving path does it:
 * {@link ServedStudent#logits} against DL4J's {@code output()} ({@link StudentModel#logits}) on a
 * one-row array, the scaling and the array's creation included. Sampled per call, for the
 * latency distribution (median, p99).
 *
 * <p>Not final: JMH generates subclasses of benchmark classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StudentServingBenchmark {

    private StudentModel student;
    private ServedStudent served;
    private Standardizer scaler;
    private double[] record;

    @Setup
    public void setUp() {
        student = Models.student();
        served = ServedStudent.of(student);
        scaler = student.manifest().scaler();
        record = Models.rawRecord(42);
    }

    @Benchmark
    public double[] servedStudent() {
        return served.logits(record);
    }

    @Benchmark
    public INDArray dl4jOutput() {
        return student.logits(Nd4j.createFromArray(new float[][] {scaler.transform(record)}));
    }
}
