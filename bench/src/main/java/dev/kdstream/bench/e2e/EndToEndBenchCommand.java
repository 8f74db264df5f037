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
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.bench.MachineInfo;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.launcher.stack.Pipeline;
import dev.kdstream.client.produce.ProduceSummary;
import dev.kdstream.client.produce.ProducerService;
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
        description = "End to end on the embedded broker: sustained events/s through producer -> teacher -> "
                + "student server and trainer, and event-to-prediction latency at fixed rates, each side by side "
                + "with a raw Kafka produce -> consume of the same records; then the same topology with the work "
                + "taken out (Kafka only).",
        footer = {"", "Examples:",
            "  ./kd bench e2e                                       # ~7 minutes",
            "  ./kd bench e2e --warmup-records 50000 --records 20000 --rates 1000,5000 --seconds-per-rate 10"
                + "   # a quick look, JIT not settled",
            "  OPENBLAS_CORETYPE=SKYLAKEX ./kd bench e2e            # OpenBLAS's AVX-512 kernels (avx512f CPUs)",
            "  KD_SERVER_PROCESSING_GUARANTEE=exactly_once_v2 ./kd bench e2e # KD_* settings apply, as in ./kd stack"})
public final class EndToEndBenchCommand implements Callable<Integer> {

    /** Records per round of the pipeline's warm-up. */
    private static final long WARMUP_ROUND = 500_000;

    /** A phase that makes no progress for this long is reported as stuck, not waited on. */
    private static final long STALL_MILLIS = 60_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--records", paramLabel = "N", defaultValue = "500000",
            description = "Records for the throughput part (the seed's training split repeated; default: "
                    + "${DEFAULT-VALUE}).")
    long records;

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
        if (!(jitSettled > 0) || warmupMaxRecords < 0) {
            throw new IllegalArgumentException("--jit-settled must be positive, --warmup-max-records >= 0");
        }
        if (records <= 0 || warmupRecords < 0 || secondsPerRate <= 0 || warmupSeconds < 0 || partitions <= 0
                || rates.stream().anyMatch(r -> r <= 0) || commitIntervalMs != null && commitIntervalMs <= 0) {
            throw new IllegalArgumentException("--records, --seconds-per-rate, --partitions, --rates and "
                    + "--commit-interval-ms must be positive, --warmup-seconds and --warmup-records >= 0");
        }
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
            run(base, train, ensemble, out);
        } finally {
            BenchStack.deleteQuietly(stateDir);
        }
        return 0;
    }

    private void run(final KdConfig base, final Dataset train, final TeacherEnsemble ensemble, final PrintWriter out)
            throws Exception {
        if (warmupRecords > 0) {
            out.printf(Locale.ROOT, "warm-up: raw produce -> consume, %,d records, not measured ...%n", warmupRecords);
            out.flush();
            rawPhase(base, train, "warm", warmupRecords, 0, 0);
        }
        out.printf(Locale.ROOT, "(c) raw produce -> consume, %,d records at full speed ...%n", records);
        out.flush();
        final PhaseResult rawMax = rawPhase(base, train, "max", records, 0, 0);
        final List<PhaseResult[]> atRates = new ArrayList<>();
        final KdConfig pipelineConfig = commitIntervalMs == null ? BenchStack.prefixed(base, "e2e-")
                : BenchStack.prefixed(base, "e2e-").with(Map.of(KdConfig.KAFKA_PREFIX + "commit.interval.ms",
                        commitIntervalMs.toString()));
        out.println("pipeline: server " + pipelineConfig.get(ConfigKey.SERVER_GUARANTEE) + " ("
                + ConfigKey.SERVER_GUARANTEE.env() + "), commit.interval.ms "
                + (commitIntervalMs == null ? "the server's default" : commitIntervalMs));
        final PhaseResult pipelineMax;
        final ThreadCpu[] pipelineCpu;
        try (Pipeline pipeline = Pipeline.startOnFreePorts(pipelineConfig, ensemble);
             TopicTap tap = TopicTap.predictions(pipelineConfig);
             Recording instrumented = jfr == null ? null : startJfr()) {
            if (warmupRecords > 0) {
                warmUpPipeline(pipelineConfig, pipeline, tap, train, out);
            }
            out.printf(Locale.ROOT, "(a) pipeline, %,d records as fast as it takes them ...%n", records);
            out.flush();
            // a second recording holds only (a)'s events; the first one keeps JFR's instrumentation in place
            try (Recording recording = jfr == null ? null : startJfr();
                 ThreadCpu.Recorder cpu = new ThreadCpu.Recorder(100)) {
                pipelineMax = pipelinePhase(pipelineConfig, pipeline, tap, train, "a", records, 0, 0);
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
                final PhaseResult raw = rawPhase(base, train, "r" + rate, count, rate, warmupSeconds);
                final PhaseResult piped = pipelinePhase(pipelineConfig, pipeline, tap, train, "r" + rate, count, rate,
                        warmupSeconds);
                atRates.add(new PhaseResult[] {raw, piped});
            }
        }
        out.printf(Locale.ROOT, "(d) the same topology, Kafka only (bytes passed through), %,d records ...%n",
                records);
        out.flush();
        final KafkaOnlyResult kafkaOnly = kafkaOnlyPhase(base, train);
        printThroughput(out, rawMax, pipelineMax, kafkaOnly);
        printCpu(out, "(a) the pipeline", pipelineCpu);
        printCpu(out, "(d) the same topology, Kafka only", kafkaOnly.cpu());
        printLatency(out, atRates);
        out.flush();
    }

    /**
     * Rounds of records at full speed through the pipeline until at least {@code --warmup-records}
     * went through and the JIT has settled, or {@code --warmup-max-records}: on two cores the
     * compiler threads compete with the stages, so the JIT keeps compiling the stack for minutes,
     * and a throughput measured before it settles is the warm-up's, not the sustained one.
     */
    private void warmUpPipeline(final KdConfig config, final Pipeline pipeline, final TopicTap tap,
                                final Dataset train, final PrintWriter out) throws Exception {
        final long round = Math.min(WARMUP_ROUND, warmupRecords);
        out.printf(Locale.ROOT, "warm-up: pipeline, rounds of %,d records until the JIT's compilations take less "
                + "than %.2f s per s of a round (at least %,d records, at most %,d), not measured:%n", round,
                jitSettled, warmupRecords, Math.max(warmupRecords, warmupMaxRecords));
        out.flush();
        long done = 0;
        double compiling = 1;
        for (int i = 1; done < warmupRecords || compiling >= jitSettled && done < warmupMaxRecords; i++) {
            final ThreadCpu before = ThreadCpu.snapshot();
            final PhaseResult r = pipelinePhase(config, pipeline, tap, train, "w" + i, round, 0, 0);
            compiling = ThreadCpu.snapshot().jitCoresSince(before);
            done += round;
            out.printf(Locale.ROOT, "    round %d: %,.0f events/s, JIT compilations %.2f s per s%n", i,
                    r.eventsPerSecond(), compiling);
            out.flush();
        }
        if (compiling >= jitSettled) {
            out.printf(Locale.ROOT, "    the JIT had not settled after %,d records: (a) includes its work%n", done);
        }
    }

    private static Recording startJfr() throws Exception {
        final Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return recording;
    }

    /** The producer's records into a fresh topic, read back by a plain consumer. */
    private PhaseResult rawPhase(final KdConfig base, final Dataset train, final String name, final long count,
                                 final double rate, final int warmup) throws Exception {
        final KdConfig config = BenchStack.prefixed(base, "raw-" + name + "-");
        TopicAdmin.ensureTopics(config.kafkaProperties(), config.topics(), partitions, (short) 1);
        final long start = System.currentTimeMillis();
        final LatencyRecorder recorder = new LatencyRecorder("", start + warmup * 1000L);
        try (TopicTap tap = TopicTap.features(config, recorder);
             ServiceMetrics metrics = new ServiceMetrics("bench-producer")) {
            final ProducerService producer = ProducerService.start(config,
                    BenchStack.messages(train, count, name + "-"), count, rate, metrics, null);
            final ProduceSummary produced = producer.awaitCompletion();
            producer.close();
            awaitDone(tap::requireAlive, () -> recorder.received() >= produced.acked(), recorder::received);
            return new PhaseResult("raw", rate, produced, recorder.received(), recorder.received(),
                    recorder.received(), recorder.duplicates(), (recorder.lastArrivalMillis() - start) / 1e3,
                    recorder.arrivalLatency(), Percentiles.NONE, recorder.received());
        }
    }

    /** The records through the running pipeline, until every one is annotated, trained on and predicted. */
    private PhaseResult pipelinePhase(final KdConfig config, final Pipeline pipeline, final TopicTap tap,
                                      final Dataset train, final String name, final long count, final double rate,
                                      final int warmup) throws Exception {
        final Pipeline.Counts before = pipeline.counts();
        final long start = System.currentTimeMillis();
        final LatencyRecorder recorder = new LatencyRecorder(name + "-", start + warmup * 1000L);
        tap.phase(recorder);
        try (ServiceMetrics metrics = new ServiceMetrics("bench-producer")) {
            final ProducerService producer = ProducerService.start(config,
                    BenchStack.messages(train, count, name + "-"), count, rate, metrics, null);
            final ProduceSummary produced = producer.awaitCompletion();
            producer.close();
            // when every stage had every record: the phase's end, whenever the reader catches up
            final long[] drainedAt = {-1};
            final Pipeline.Counts[] taken = {new Pipeline.Counts(0, 0, 0)};
            awaitDone(() -> {
                tap.requireAlive();
                pipeline.requireTrainerAlive();
                taken[0] = pipeline.counts().minus(before);
                if (drainedAt[0] < 0 && taken[0].reached(produced.acked())) {
                    drainedAt[0] = System.currentTimeMillis();
                }
            }, () -> drainedAt[0] >= 0 && recorder.received() >= produced.acked(),
                    () -> taken[0].sum() + recorder.received());
            final long end = drainedAt[0] >= 0 ? drainedAt[0] : System.currentTimeMillis();
            final Pipeline.Counts counts = pipeline.counts().minus(before);
            return new PhaseResult("pipeline", rate, produced, counts.annotated(), counts.trained(), counts.predicted(),
                    recorder.duplicates(), (Math.max(end, recorder.lastArrivalMillis()) - start) / 1e3,
                    recorder.arrivalLatency(), recorder.servedLatency(), recorder.received());
        }
    }

    /**
     * (d): {@link KafkaOnlyPipeline} fed the same records as fast as the broker takes them, timed
     * until both of its readers have every record (after a warm-up of its own).
     */
    private KafkaOnlyResult kafkaOnlyPhase(final KdConfig base, final Dataset train) throws Exception {
        final KdConfig config = BenchStack.prefixed(base, "kafka-only-");
        TopicAdmin.ensureTopics(config.kafkaProperties(), config.topics(), partitions, (short) 1);
        try (KafkaOnlyPipeline pipeline = new KafkaOnlyPipeline(config);
             ServiceMetrics metrics = new ServiceMetrics("bench-producer")) {
            long expected = 0;
            if (warmupRecords > 0) {
                expected += produce(config, train, "kw-", warmupRecords, metrics).acked();
                awaitDelivered(pipeline, expected);
            }
            final long start = System.currentTimeMillis();
            final ProduceSummary produced;
            final ThreadCpu[] span;
            try (ThreadCpu.Recorder cpu = new ThreadCpu.Recorder(100)) {
                produced = produce(config, train, "k-", records, metrics);
                expected += produced.acked();
                awaitDelivered(pipeline, expected);
                span = cpu.stop();
            }
            return new KafkaOnlyResult(produced.acked(), produced.failed(),
                    pipeline.delivered() - (expected - produced.acked()), (System.currentTimeMillis() - start) / 1e3,
                    span);
        }
    }

    private static ProduceSummary produce(final KdConfig config, final Dataset train, final String prefix,
                                          final long count, final ServiceMetrics metrics) throws InterruptedException {
        final ProducerService producer = ProducerService.start(config, BenchStack.messages(train, count, prefix),
                count, 0, metrics, null);
        final ProduceSummary produced = producer.awaitCompletion();
        producer.close();
        return produced;
    }

    private static void awaitDelivered(final KafkaOnlyPipeline pipeline, final long expected)
            throws InterruptedException {
        awaitDone(() -> {
            if (!pipeline.running()) {
                throw new IllegalStateException("the Kafka-only pipeline stopped");
            }
        }, () -> pipeline.delivered() >= expected, pipeline::delivered);
    }

    /**
     * Polls every 20 ms, {@code check} first (it throws when a part has failed), until {@code done};
     * gives up quietly once {@code progress} has not moved for {@link #STALL_MILLIS}, and the caller
     * reports the counts reached.
     */
    private static void awaitDone(final Runnable check, final BooleanSupplier done, final LongSupplier progress)
            throws InterruptedException {
        long seen = -1;
        long lastProgress = System.currentTimeMillis();
        while (true) {
            check.run();
            if (done.getAsBoolean()) {
                return;
            }
            final long moved = progress.getAsLong();
            final long now = System.currentTimeMillis();
            if (moved != seen) {
                seen = moved;
                lastProgress = now;
            } else if (now - lastProgress > STALL_MILLIS) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** (d)'s figures: records acknowledged, failed, delivered to both readers, seconds; its CPU span. */
    record KafkaOnlyResult(long acked, long failed, long delivered, double seconds, ThreadCpu[] cpu) {

        double eventsPerSecond() {
            return acked / Math.max(1e-3, seconds);
        }
    }

    private static void printThroughput(final PrintWriter out, final PhaseResult raw, final PhaseResult pipeline,
                                        final KafkaOnlyResult kafkaOnly) {
        out.println();
        out.println("(a)/(c) sustained throughput, records produced as fast as the broker takes them:");
        out.println();
        out.println("| path | records acked | annotated / trained / predicted | seconds to the last | events/s "
                + "| of raw | lost |");
        out.println("|---|---|---|---|---|---|---|");
        out.println(throughputRow("raw produce -> consume", raw, raw));
        out.println(throughputRow("producer -> teacher -> server + trainer", pipeline, raw));
        out.println(String.format(Locale.ROOT, "| the same topology, Kafka only (bytes passed through) | %,d | "
                + "delivered to both readers %,d | %.1f | **%,.0f** | %.2f | %s |", kafkaOnly.acked(),
                kafkaOnly.delivered(), kafkaOnly.seconds(), kafkaOnly.eventsPerSecond(),
                kafkaOnly.eventsPerSecond() / raw.eventsPerSecond(),
                kafkaOnly.delivered() >= kafkaOnly.acked() && kafkaOnly.failed() == 0 ? "0"
                        : Math.max(0, kafkaOnly.acked() - kafkaOnly.delivered()) + " lost"));
    }

    private static String throughputRow(final String label, final PhaseResult r, final PhaseResult raw) {
        final String counts = r.path().equals("raw") ? String.format(Locale.ROOT, "consumed %,d", r.predicted())
                : String.format(Locale.ROOT, "%,d / %,d / %,d (consumed %,d)", r.annotated(), r.trained(),
                        r.predicted(), r.consumed());
        return String.format(Locale.ROOT, "| %s | %,d | %s | %.1f | **%,.0f** | %.2f | %s |", label,
                r.produced().acked(), counts, r.seconds(), r.eventsPerSecond(),
                r.eventsPerSecond() / raw.eventsPerSecond(), r.lost() == 0 && r.duplicates() == 0 ? "0"
                        : r.lost() + " lost, " + r.duplicates() + " duplicates");
    }

    /**
     * Where the CPU of parts (a) and (d) went, native time (the teacher's GEMMs) included, per
     * record: the two moved the same records at different speeds.
     */
    private void printCpu(final PrintWriter out, final String label, final ThreadCpu[] span) {
        final ThreadCpu before = span[0];
        final ThreadCpu after = span[1];
        final double process = after.processCoresSince(before);
        final double seconds = after.secondsSince(before);
        out.println();
        out.printf(Locale.ROOT, "%s, CPU by thread (the process: %.2f cores of %d; GC pauses %.0f %% of the time; "
                        + "JIT compile time %.2f s per s):%n%n", label, process,
                Runtime.getRuntime().availableProcessors(), 100 * after.gcShareSince(before),
                after.jitCoresSince(before));
        out.println("| thread | cores | us of CPU per record | of the process |");
        out.println("|---|---|---|---|");
        after.coresSince(before).forEach((role, cores) -> {
            if (cores >= 0.005) {
                out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %.0f %% |%n", role, cores,
                        1e6 * cores * seconds / records, 100 * cores / process);
            }
        });
        out.printf(Locale.ROOT, "| all | %.2f | %.1f | 100 %% |%n", process, 1e6 * process * seconds / records);
    }

    private void printLatency(final PrintWriter out, final List<PhaseResult[]> atRates) {
        out.println();
        out.printf(Locale.ROOT, "(b) event time -> visible to a read_committed consumer, ms, %d s measured after "
                + "%d s warm-up (served: event time -> the server's servedAt, what kd.prediction.latency times):%n",
                secondsPerRate, warmupSeconds);
        out.println();
        out.println("| events/s | achieved raw / pipeline | raw p50 / p99 / p99.9 | pipeline p50 / p99 / p99.9 "
                + "| served p50 / p99 / p99.9 | pipeline p99 / raw p99 | lost |");
        out.println("|---|---|---|---|---|---|---|");
        for (final PhaseResult[] pair : atRates) {
            final PhaseResult raw = pair[0];
            final PhaseResult p = pair[1];
            out.printf(Locale.ROOT, "| %,.0f | %,.0f / %,.0f | %s | %s | %s | **%.1fx** | %s |%n", p.rate(),
                    raw.eventsPerSecond(), p.eventsPerSecond(), triple(raw.latency()), triple(p.latency()),
                    triple(p.served()), (double) p.latency().p99() / Math.max(1, raw.latency().p99()),
                    p.lost() + raw.lost() == 0 && p.duplicates() + raw.duplicates() == 0 ? "0"
                            : "raw " + raw.lost() + ", pipeline " + p.lost() + " (dup " + p.duplicates() + ")");
        }
    }

    private static String triple(final Percentiles p) {
        return p.count() == 0 ? "-" : String.format(Locale.ROOT, "%d / %d / %d", p.p50(), p.p99(), p.p999());
    }

    /**
     * One phase's figures.
     *
     * @param seconds  producer start to the last record through (all stages, and seen by the consumer)
     * @param consumed distinct keys seen on the consumer's topic
     */
    record PhaseResult(String path, double rate, ProduceSummary produced, long annotated, long trained,
                       long predicted, long duplicates, double seconds, Percentiles latency, Percentiles served,
                       long consumed) {

        double eventsPerSecond() {
            return produced.acked() / Math.max(1e-3, seconds);
        }

        /** Records acknowledged by the broker that some stage (or the consumer) did not see. */
        long lost() {
            final long least = Math.min(Math.min(annotated, trained), Math.min(predicted, consumed));
            return Math.max(0, produced.acked() - least) + produced.failed();
        }
    }

    /** Runs the benchmark without the launcher: {@code java ... EndToEndBenchCommand --records 20000}. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new EndToEndBenchCommand()).execute(args));
    }
}
