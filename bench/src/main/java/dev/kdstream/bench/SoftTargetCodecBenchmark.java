package dev.kdstream.bench;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.SoftTargetCodec;
import dev.kdstream.contracts.records.SoftTargetRecord;

/**
 * One soft target on the internal hop: written by the teacher, read by the trainer, as JSON
 * (Jackson, the features printed from their doubles) and in {@link SoftTargetCodec}'s binary form.
 * The records are like the teacher's: 20 Gaussian features, two logits, two probabilities.
 *
 * <p>Not final: JMH generates subclasses of benchmark classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SoftTargetCodecBenchmark {

    private static final int RECORDS = 1024;

    private SoftTargetRecord[] softTargets;
    private byte[][] json;
    private byte[][] binary;
    private int next;

    @Setup
    public void setUp() throws IOException {
        final Random random = new Random(42);
        softTargets = new SoftTargetRecord[RECORDS];
        json = new byte[RECORDS][];
        binary = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            final double[] x = new double[20];
            for (int j = 0; j < x.length; j++) {
                x[j] = 2 * random.nextGaussian();
            }
            final float p = random.nextFloat();
            softTargets[i] = new SoftTargetRecord("rec-" + i, 1_700_000_000_000L + i, x, i % 2, FeatureRecord.TRAIN,
                    new double[] {(float) random.nextGaussian(), (float) random.nextGaussian()},
                    new double[] {p, 1 - p}, 3.0, "ensemble-20261122T145323Z-s0");
            json[i] = Json.MAPPER.writeValueAsBytes(softTargets[i]);
            binary[i] = SoftTargetCodec.encode(softTargets[i]);
        }
    }

    @Benchmark
    public byte[] jsonWrite() throws IOException {
        return Json.MAPPER.writeValueAsBytes(softTargets[next++ & (RECORDS - 1)]);
    }

    @Benchmark
    public SoftTargetRecord jsonRead() throws IOException {
        return Json.MAPPER.readValue(json[next++ & (RECORDS - 1)], SoftTargetRecord.class);
    }

    @Benchmark
    public byte[] binaryWrite() {
        return SoftTargetCodec.encode(softTargets[next++ & (RECORDS - 1)]);
    }

    @Benchmark
    public SoftTargetRecord binaryRead() {
        return SoftTargetCodec.decode(binary[next++ & (RECORDS - 1)]);
    }
}
