package dev.kdstream.bench.e2e;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.kdstream.bench.MachineInfo;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.launcher.stack.Pipeline;
import dev.kdstream.model.definition.TeacherEnsemble;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd bench e2e}: the whole data path on the embedded broker, everything in this JVM, side
 * by side with a raw Kafka produce -> consume of the same records on the same broker (the ceiling).
 *
 * <ol>
 *   <li>(0) cold: the pipeline's first records right after its start, timed, with the records
 *       over time kept through the warm-up and (a) to tell when it came within 90 % of (a)'s rate;</li>
 *   <li>(c) raw: the producer's records (same client, same JSON) into a topic, read back by a
 *       plain read_committed consumer: records/s at full speed;</li>
 *   <li>(a) pipeline: the same number of records as fast as possible through producer -> teacher ->
 *       student server and trainer, timed until every record is annotated, trained on and
 *       predicted, counts checked;</li>
 *   <li>(b) at each fixed rate, raw then pipeline: event time to the record visible to a
 *       read_committed consumer (raw features, or predictions), p50/p99/p99.9 after a warm-up;
 *       for predictions also event time to {@code servedAt}, what the server's
 *       {@code kd.prediction.latency} timer measures;</li>
 *   <li>(d) the same topology with the work taken out ({@link KafkaOnlyPipeline}): what Kafka
 *       alone costs per event here, so (a) can be read against it.</li>
 * </ol>
 * Each phase writes to topics of its own name prefix, so none sees another's data.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true, sortOptions = false,
        description = "End to end on the embedded broker: events/s through producer -> teacher -> student "
                + "server and trainer, right after the start (cold) and once the JIT has settled, and event-to-prediction latency at fixed rates, each side by side "
                + "with a raw Kafka produce -> consume of the same records; then the same topology with the work "
                + "taken out (Kafka only).",
        footer = {"", "Examples:",
            "  ./kd bench e2e                                       # ~8 minutes",
            "  ./kd bench e2e --warmup-records 50000 --records 20000 --rates 1000,5000 --seconds-per-rate 10"
                + "   # a quick look, JIT not settled",
            "  OPENBLAS_CORETYPE=SKYLAKEX ./kd bench e2e            # OpenBLAS's AVX-512 kernels (avx512f CPUs)",
            "  KD_SERVER_PROCESSING_GUARANTEE=exactly_once_v2 ./kd bench e2e # KD_* settings apply, as in ./kd stack"})
public final class EndToEndBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--records", paramLabel = "N", defaultValue = "500000",
            description = "Records for the throughput part (the seed's training split repeated; default: "
                    + "${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--cold-records", paramLabel = "N", defaultValue = "250000",
            description = "Records through the pipeline first, right after its start, timed: what a user meets "
                    + "while the JIT, the broker and the clients are all cold (default: ${DEFAULT-VALUE}; 0 skips "
                    + "it).")
    long coldRecords;

    @Option(names = "--window", paramLabel = "N", defaultValue = "25000",
            description = "Records over which the rate is taken for the time to 90 %% of the settled rate "
                    + "(default: ${DEFAULT-VALUE}).")
    long window;

    @Option(names = "--warmup-records", paramLabel = "N", defaultValue = "1000000",
            description = "Records through each path before the throughput part, not measured: JIT, first "
                    + "checkpoints, the broker's first segments (default: ${DEFAULT-VALUE}). The pipeline's "
                    + "warm-up goes on past it, in rounds, until the JIT settles (--jit-settled).")
    long warmupRecords;

    @Option(names = "--jit-settled", paramLabel = "FRACTION", defaultValue = "0.10",
            description = "The pipeline is warm when the JIT's compilations took less than this many seconds "
                    + "per second of a warm-up round (summed over its threads, so it can pass 1): after "
                    + "1,000,000 records it was still ~0.4, and each compilation takes CPU from the stages "
                    + "(default: ${DEFAULT-VALUE}).")
    double jitSettled;

    @Option(names = "--warmup-max-records", paramLabel = "N", defaultValue = "6000000",
            description = "The pipeline's warm-up stops here even if the JIT has not settled, and says so "
                    + "(default: ${DEFAULT-VALUE}).")
    long warmupMaxRecords;

    @Option(names = "--rates", paramLabel = "R[,R...]", split = ",", defaultValue = "1000,5000,10000",
            description = "Fixed rates, events/s, for the latency part (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--seconds-per-rate", paramLabel = "S", defaultValue = "30",
            description = "Measured seconds per rate, after the warm-up (default: ${DEFAULT-VALUE}).")
    int secondsPerRate;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "5",
            description = "Seconds at each rate before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2",
            description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--commit-interval-ms", paramLabel = "MS",
            description = "Kafka Streams commit.interval.ms of the teacher and the server (default: each one's "
                    + "own, 100 ms for the exactly-once teacher, 1 s for the at-least-once server): under "
                    + "exactly-once a record's output is visible only once its transaction commits.")
    Integer commitIntervalMs;

    @Option(names = "--jfr", paramLabel = "FILE",
            description = "Record part (a) with Java Flight Recorder (profile settings) into FILE. JFR is "
                    + "switched on before the pipeline's warm-up: starting it instruments JDK classes, which "
                    + "throws away compiled code, and (a) would measure the JIT recompiling.")
    Path jfr;

    @Override
    public Integer call() throws Exception {
        validate();
        final PrintWriter out = spec.commandLine().getOut();
        out.println(MachineInfo.describe());
        out.flush();
        final Dataset train = TrainTestSplit.seedDefault().train();
        final TeacherEnsemble ensemble = BenchStack.ensemble(train, out);
        final Path stateDir = Files.createTempDirectory("kd-bench-e2e-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            final Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers());
            overrides.put(ConfigKey.STATE_DIR.key(), stateDir.toString());
            overrides.put(ConfigKey.TOPIC_PARTITIONS.key(), Integer.toString(partitions));
            final KdConfig base = KdConfig.fromEnvironment(null, overrides);
            out.println("kafka: embedded KRaft broker " + broker.bootstrapServers() + ", " + partitions
                    + " partitions per topic; records: the seed's training split (" + train.size()
                    + " rows) repeated");
            out.flush();
            run(base, new PhaseRunner(train, partitions, records, warmupRecords), ensemble, out);
        } finally {
            BenchStack.deleteQuietly(stateDir);
        }
        return 0;
    }

    private void validate() {
        if (!(jitSettled > 0) || warmupMaxRecords < 0) {
            throw new IllegalArgumentException("--jit-settled must be positive, --warmup-max-records >= 0");
        }
        if (coldRecords < 0 || window <= 0) {
            throw new IllegalArgumentException("--cold-records must be >= 0, --window positive");
        }
        if (records <= 0 || warmupRecords < 0 || secondsPerRate <= 0 || warmupSeconds < 0 || partitions <= 0
                || rates.stream().anyMatch(r -> r <= 0) || commitIntervalMs != null && commitIntervalMs <= 0) {
            throw new IllegalArgumentException("--records, --seconds-per-rate, --partitions, --rates and "
                    + "--commit-interval-ms must be positive, --warmup-seconds and --warmup-records >= 0");
        }
    }

    private void run(final KdConfig base, final PhaseRunner phases, final TeacherEnsemble ensemble,
                     final PrintWriter out) throws Exception {
        final List<PhaseResult[]> atRates = new ArrayList<>();
        final KdConfig pipelineConfig = commitIntervalMs == null ? BenchStack.prefixed(base, "e2e-")
                : BenchStack.prefixed(base, "e2e-").with(Map.of(KdConfig.KAFKA_PREFIX + "commit.interval.ms",
                        commitIntervalMs.toString()));
        out.println("pipeline: server " + pipelineConfig.get(ConfigKey.SERVER_GUARANTEE) + " ("
                + ConfigKey.SERVER_GUARANTEE.env() + "), commit.interval.ms "
                + (commitIntervalMs == null ? "the server's default" : commitIntervalMs));
        final PhaseResult rawMax;
        final PhaseResult pipelineMax;
        final ThreadCpu[] pipelineCpu;
        // the pipeline's records over time, cold and warm-up: how long it takes to come up to speed
        final RateCurve curve = new RateCurve();
        final PhaseResult cold;
        try (Pipeline pipeline = Pipeline.startOnFreePorts(pipelineConfig, ensemble);
             TopicTap tap = TopicTap.predictions(pipelineConfig);
             Recording instrumented = jfr == null ? null : startJfr()) {
            if (coldRecords > 0) {
                out.printf(Locale.ROOT, "(0) cold: the pipeline's first %,d records after its start, as fast as it "
                        + "takes them ...%n", coldRecords);
                out.flush();
                cold = phases.pipeline(pipelineConfig, pipeline, tap, "cold", coldRecords, 0, 0, curve.continuing());
            } else {
                cold = null;
            }
            if (warmupRecords > 0) {
                out.printf(Locale.ROOT, "warm-up: raw produce -> consume, %,d records, not measured ...%n",
                        warmupRecords);
                out.flush();
                phases.raw(base, "warm", warmupRecords, 0, 0);
            }
            out.printf(Locale.ROOT, "(c) raw produce -> consume, %,d records at full speed ...%n", records);
            out.flush();
            rawMax = phases.raw(base, "max", records, 0, 0);
            if (warmupRecords > 0) {
                new PipelineWarmUp(warmupRecords, jitSettled, warmupMaxRecords)
                        .run(phases, pipelineConfig, pipeline, tap, curve, out);
            }
            out.printf(Locale.ROOT, "(a) pipeline, %,d records as fast as it takes them ...%n", records);
            out.flush();
            // a second recording holds only (a)'s events; the first one keeps JFR's instrumentation in place
            try (Recording recording = jfr == null ? null : startJfr();
                 ThreadCpu.Recorder cpu = new ThreadCpu.Recorder(100)) {
                pipelineMax = phases.pipeline(pipelineConfig, pipeline, tap, "a", records, 0, 0, curve.continuing());
                pipelineCpu = cpu.stop();
                if (recording != null) {
                    recording.stop();
                    recording.dump(jfr);
                    out.println("    JFR recording of part (a): " + jfr);
                }
            }
            for (final int rate : rates) {
                final long count = (long) rate * (warmupSeconds + secondsPerRate);
                out.printf(Locale.ROOT, "(b) %,d events/s for %d + %d s: raw, then pipeline ...%n", rate,
                        warmupSeconds, secondsPerRate);
                out.flush();
                final PhaseResult raw = phases.raw(base, "r" + rate, count, rate, warmupSeconds);
                final PhaseResult piped = phases.pipeline(pipelineConfig, pipeline, tap, "r" + rate, count, rate,
                        warmupSeconds);
                atRates.add(new PhaseResult[] {raw, piped});
            }
        }
        out.printf(Locale.ROOT, "(d) the same topology, Kafka only (bytes passed through), %,d records ...%n",
                records);
        out.flush();
        final KafkaOnlyResult kafkaOnly = phases.kafkaOnly(base);
        final EndToEndReport report = new EndToEndReport(out, records, secondsPerRate, warmupSeconds);
        report.throughput(rawMax, pipelineMax, kafkaOnly);
        if (cold != null) {
            report.cold(cold, pipelineMax, curve, window);
        }
        report.cpu("(a) the pipeline", pipelineCpu);
        report.cpu("(d) the same topology, Kafka only", kafkaOnly.cpu());
        report.latency(atRates);
        out.flush();
    }

    private static Recording startJfr() throws Exception {
        final Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return recording;
    }

    /** Runs the benchmark without the launcher: {@code java ... EndToEndBenchCommand --records 20000}. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new EndToEndBenchCommand()).execute(args));
    }
}
