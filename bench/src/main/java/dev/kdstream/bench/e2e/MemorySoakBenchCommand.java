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
import dev.kdstream.client.produce.ProduceSummary;
import dev.kdstream.client.produce.ProducerService;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.launcher.stack.Pipeline;
import dev.kdstream.model.definition.TeacherEnsemble;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd bench memory}: the whole stack in this JVM (embedded broker, teacher-service, trainer,
 * server, producer) fed at a fixed rate for minutes, its resident memory sampled throughout. The
 * question is whether memory stays flat under a steady load (no leak, no unbounded buffer): the
 * mean RSS of the first minute after the warm-up against the mean of the last minute.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Memory soak: the embedded stack fed at a fixed rate for minutes; resident memory, heap and "
                + "ND4J's off-heap bytes sampled throughout, with the stages' counts; prints the growth from the first "
                + "to the last minute after the warm-up.",
        footer = {"", "Examples:",
            "  ./kd bench memory                       # 10 minutes at 10,000 events/s",
            "  ./kd bench memory --minutes 3 --rate 5000"})
public final class MemorySoakBenchCommand implements Callable<Integer> {

    private static final double MB = 1024.0 * 1024.0;

    @Spec
    CommandSpec spec;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "10000",
            description = "Events per second from the producer (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "10",
            description = "Minutes of producing, warm-up included (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--warmup-minutes", paramLabel = "M", defaultValue = "1",
            description = "Minutes left out of the verdict: JIT, heap sizing, first checkpoints "
                    + "(default: ${DEFAULT-VALUE}).")
    double warmupMinutes;

    @Option(names = "--sample-seconds", paramLabel = "S", defaultValue = "10",
            description = "Seconds between samples (default: ${DEFAULT-VALUE}).")
    int sampleSeconds;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Partitions of every topic (default: ${DEFAULT-VALUE}, as ./kd stack).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || minutes <= 0 || warmupMinutes < 0 || sampleSeconds <= 0 || partitions <= 0) {
            throw new IllegalArgumentException("--rate, --minutes, --sample-seconds and --partitions must be "
                    + "positive, --warmup-minutes >= 0");
        }
        if (warmupMinutes + 1 >= minutes) {
            throw new IllegalArgumentException("--minutes must exceed --warmup-minutes by more than the one-minute "
                    + "windows compared; got " + minutes + " and " + warmupMinutes);
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(MachineInfo.describe());
        out.flush();
        final Dataset train = TrainTestSplit.seedDefault().train();
        final TeacherEnsemble ensemble = BenchStack.ensemble(train, out);
        final Path stateDir = Files.createTempDirectory("kd-bench-memory-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            final Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers());
            overrides.put(ConfigKey.STATE_DIR.key(), stateDir.toString());
            overrides.put(ConfigKey.TOPIC_PARTITIONS.key(), Integer.toString(partitions));
            final KdConfig config = BenchStack.prefixed(KdConfig.fromEnvironment(null, overrides), "soak-");
            final List<MemorySample> samples = soak(config, train, ensemble, out);
            printVerdict(out, samples);
        } finally {
            BenchStack.deleteQuietly(stateDir);
        }
        out.flush();
        return 0;
    }

    private List<MemorySample> soak(final KdConfig config, final Dataset train, final TeacherEnsemble ensemble,
                                    final PrintWriter out) throws Exception {
        final long total = (long) (rate * minutes * 60);
        out.printf(Locale.ROOT, "soak: %,d events/s for %.1f min (%,d records), sampled every %d s%n%n", rate,
                minutes, total, sampleSeconds);
        out.println("| t s | RSS MB | heap used MB | heap committed MB | off-heap MB | produced | annotated "
                + "| predicted | trained | behind |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        out.flush();
        final List<MemorySample> samples = new ArrayList<>();
        try (Pipeline pipeline = Pipeline.startOnFreePorts(config, ensemble);
             ServiceMetrics metrics = new ServiceMetrics("bench-producer")) {
            final long start = System.nanoTime();
            final ProducerService producer = ProducerService.start(config,
                    BenchStack.messages(train, total, "soak-"), total, rate, metrics, null);
            long next = start;
            while (producer.running()) {
                next += sampleSeconds * 1_000_000_000L;
                final long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                pipeline.requireTrainerAlive();
                final MemorySample sample = MemorySample.now((System.nanoTime() - start) / 1e9);
                samples.add(sample);
                printRow(out, sample, producer.acked(), pipeline.taught(),
                        pipeline.predicted(), pipeline.trained());
            }
            final ProduceSummary produced = producer.awaitCompletion();
            producer.close();
            out.printf(Locale.ROOT, "%nproduced: %s%n", produced.describe());
        }
        return samples;
    }

    private static void printRow(final PrintWriter out, final MemorySample s, final long produced, final long annotated,
                                 final long predicted, final long trained) {
        final long slowest = Math.min(annotated, Math.min(predicted, trained));
        out.printf(Locale.ROOT, "| %.0f | %.0f | %.0f | %.0f | %.0f | %,d | %,d | %,d | %,d | %,d |%n", s.seconds(),
                s.residentBytes() / MB, s.heapUsed() / MB, s.heapCommitted() / MB, s.offHeap() / MB, produced,
                annotated, predicted, trained, Math.max(0, produced - slowest));
        out.flush();
    }

    private void printVerdict(final PrintWriter out, final List<MemorySample> samples) {
        final double warmup = warmupMinutes * 60;
        out.println();
        out.printf(Locale.ROOT, "after the %.1f-minute warm-up: mean of the first minute -> mean of the last minute%n%n",
                warmupMinutes);
        out.println("| quantity | first minute MB | last minute MB | growth | min .. max MB |");
        out.println("|---|---|---|---|---|");
        final MemoryDrift rss = MemoryDrift.of(samples, warmup, 60, MemorySample::residentBytes);
        row(out, "resident (RSS)", rss);
        row(out, "heap used", MemoryDrift.of(samples, warmup, 60, MemorySample::heapUsed));
        row(out, "heap committed", MemoryDrift.of(samples, warmup, 60, MemorySample::heapCommitted));
        row(out, "off-heap (JavaCPP)", MemoryDrift.of(samples, warmup, 60, MemorySample::offHeap));
        out.printf(Locale.ROOT, "%nresident memory %s: %+.1f %% from the first to the last minute (target: within 10 %%)%n",
                Math.abs(rss.growth()) <= 0.10 ? "FLAT" : "NOT FLAT", rss.growth() * 100);
    }

    private static void row(final PrintWriter out, final String label, final MemoryDrift d) {
        out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %+.1f %% | %.0f .. %.0f |%n", label, d.firstMean() / MB,
                d.lastMean() / MB, d.growth() * 100, d.min() / MB, d.max() / MB);
    }

    /** Runs the benchmark without the launcher. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new MemorySoakBenchCommand()).execute(args));
    }
}
