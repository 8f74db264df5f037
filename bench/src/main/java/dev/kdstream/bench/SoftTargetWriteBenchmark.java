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
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.ParsedFeature;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.contracts.records.SoftTargetRecordSerializer;

/**
 * The teacher's output for one record, written to JSON bytes by its serializer's function: with the
 * 20 features printed from their doubles, or with the input's text of them copied
 * ({@link ParsedFeature}). The record is a parsed producer record (20 Gaussian features, as
 * {@code FeatureRecord} JSON), so the copied text is what the teacher would copy.
 *
 * <p>Not final: JMH generates subclasses of benchmark classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SoftTargetWriteBenchmark {

    private static final int RECORDS = 1024;

    private SoftTargetRecord[] softTargets;
    private String[] featuresJson;
    private int next;

    @Setup
    public void setUp() throws IOException {
        final Random random = new Random(42);
        final FeatureParser parser = new FeatureParser(20, 2, 1 << 20);
        softTargets = new SoftTargetRecord[RECORDS];
        featuresJson = new String[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            final double[] x = new double[20];
            for (int j = 0; j < x.length; j++) {
                x[j] = 2 * random.nextGaussian();
            }
            final byte[] input = Json.MAPPER.writeValueAsBytes(new FeatureRecord("rec-" + i, 1_700_000_000_000L + i, x,
                    i % 2, FeatureRecord.TRAIN));
            final ParsedFeature parsed = parser.parseKeepingText(input, 0);
            final double p = random.nextDouble();
            softTargets[i] = SoftTargetRecord.of(parsed.record(), new double[] {random.nextGaussian(),
                random.nextGaussian()}, new double[] {p, 1 - p}, 3.0, "ensemble-20261122T145323Z-s0");
            featuresJson[i] = parsed.featuresJson();
        }
    }

    @Benchmark
    public byte[] printFeatures() throws IOException {
        final int i = next++ & (RECORDS - 1);
        return SoftTargetRecordSerializer.toBytes(softTargets[i], null);
    }

    @Benchmark
    public byte[] copyFeatures() throws IOException {
        final int i = next++ & (RECORDS - 1);
        return SoftTargetRecordSerializer.toBytes(softTargets[i], featuresJson[i]);
    }
}
