package dev.kdstream.client.produce;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.kdstream.client.produce.stream.Drift;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.CsvDatasetReader;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.contracts.kafka.ListenerProbe;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.MetricsServer;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./kd produce}: streams a dataset into the {@code features} topic. */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Streams feature records into the features topic, at a chosen rate, with a progress bar.",
            "",
            "Default data: the seed experiment's synthetic 5,000 x 20 set, split 80/20 (seed 42): the train split "
                    + "as training records, the test split as holdout records sent after each pass.",
            "Each pass over the training data is shuffled anew. Record ids are p<pass>-<row> (training) and "
                    + "h<pass>-<row> (holdout). Exits 0 only when the broker acknowledged every record."},
        footer = {"", "Examples:",
            "  ./kd produce",
            "  ./kd produce --rate 2000 --repeat 50",
            "  ./kd produce --rate 1000 --repeat 0                 # endless, until Ctrl-C",
            "  ./kd produce --labelled-fraction 0.1 --count 100000",
            "  ./kd produce --repeat 20 --drift-at 0.5 --drift rotate   # the concept turns half way",
            "  ./kd produce --rate 1000 --repeat 10 --label-delay 0-60  # labels a minute late at most",
            "  ./kd produce --train train.csv --holdout test.csv --bootstrap-servers broker:9092"})
public final class ProduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--train", paramLabel = "FILE",
            description = "Training data, CSV with a 'label' column (default: the synthetic seed data).")
    Path train;

    @Option(names = "--holdout", paramLabel = "FILE",
            description = "Holdout data, CSV; sent whole after each training pass.")
    Path holdout;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "Records per second; 0 = as fast as possible (default).")
    double rate;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Send at most N records; without --repeat, passes continue until N are sent.")
    long count;

    @Option(names = "--repeat", paramLabel = "N",
            description = "Passes over the training data (default: 1); 0 = endless.")
    Integer repeat;

    @Option(names = "--labelled-fraction", paramLabel = "F", defaultValue = "1.0",
            description = "Share of training records sent with their label; the rest have label null "
                    + "(default: ${DEFAULT-VALUE}).")
    double labelledFraction;

    @Option(names = "--holdout-fraction", paramLabel = "F",
            description = "Without --holdout: share of the training rows sent as labelled holdout records "
                    + "instead (with the default data: of its train split, and the test split is not sent).")
    Double holdoutFraction;

    @Option(names = "--drift-at", paramLabel = "F", description = "Change the concept from this fraction of the "
            + "stream on, abruptly (a finite stream: --repeat or --count), so that detectors and responses can be "
            + "watched.")
    Double driftAt;

    @Option(names = "--drift", paramLabel = "KIND", description = "The change: swap (every label moves on by one "
            + "class), shift (every feature by one standard deviation) or rotate (feature pairs by 90 degrees about "
            + "their means) (default: swap).")
    String driftKind;

    @Option(names = "--label-delay", paramLabel = "S|MIN-MAX", description = "Send each training record's label "
            + "apart, to the labels topic, this many seconds after the record: S, or uniform in MIN-MAX (e.g. 0-60). "
            + "The record goes to features without it; the trainer joins the two within labels.window.ms.")
    String labelDelay;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seeds the shuffles and the choice of labelled and holdout rows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (see README: configuration).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create the project's topics when missing (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Option(names = "--no-metrics", description = "Do not serve /metrics while running.")
    boolean noMetrics;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        final PrintWriter out = spec.commandLine().getOut();
        final KdConfig config = config();
        final FeatureStream stream = stream();
        final LabelDelay delay = labelDelay == null ? null : LabelDelay.parse(labelDelay, seed);
        out.println("kd produce: " + stream.describe() + (delay == null ? "" : ", " + delay.describe()) + ", to "
                + config.topics().features() + " at "
                + config.get(ConfigKey.BOOTSTRAP_SERVERS) + (rate > 0 ? String.format(Locale.ROOT,
                ", %,.0f records/s", rate) : ", as fast as possible"));
        out.flush();
        if (createTopics) {
            // probes the listener first (ListenerProbe)
            final List<String> created = TopicAdmin.ensureTopics(config, delay == null
                    ? List.of(config.topics().features()) : List.of(config.topics().features(), config.topics().labels()));
            if (!created.isEmpty()) {
                out.println("created topics " + String.join(", ", created));
            }
        } else {
            ListenerProbe.requireMatchingProtocol(config.kafkaProperties());
        }

        final ProgressLine progress = quiet ? null : ProgressLine.onStderr();
        final ProduceSummary summary;
        try (ServiceMetrics metrics = new ServiceMetrics(ProducerService.SERVICE)) {
            final AtomicReference<ProducerService> running = new AtomicReference<>();
            final MetricsServer server = noMetrics ? null : metricsServer(config, metrics,
                    () -> running.get() != null && running.get().failed() == 0);
            try (ProducerService service = ProducerService.start(config, stream, rate, metrics, progress, delay)) {
                running.set(service);
                summary = awaitWithShutdownHook(service);
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
        if (progress != null) {
            progress.finish();
        }
        out.println(summary.describe());
        if (!summary.successful()) {
            final PrintWriter err = spec.commandLine().getErr();
            final long missing = summary.sent() - summary.acked();
            err.println("produce: " + (missing > 0 ? missing + " record(s) were not acknowledged" : "stopped")
                    + (summary.firstError() == null ? "" : ": " + summary.firstError()));
            if (summary.firstError() != null && summary.firstError().contains("not present in metadata")) {
                err.println("produce: is the broker at " + config.get(ConfigKey.BOOTSTRAP_SERVERS)
                        + " reachable, and does topic " + config.topics().features() + " exist? (--create-topics)");
            }
            err.flush();
        }
        return summary.successful() ? 0 : 1;
    }

    /** Ctrl-C stops the sending; the records in flight are acknowledged and the summary printed. */
    private static ProduceSummary awaitWithShutdownHook(final ProducerService service) throws InterruptedException {
        final CountDownLatch summarised = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            service.close();
            try {
                // give the main thread the moment it needs to print the summary before the JVM exits
                summarised.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kd-produce-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return service.awaitCompletion();
        } finally {
            summarised.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the service itself
            }
        }
    }

    private static MetricsServer metricsServer(final KdConfig config, final ServiceMetrics metrics,
                                               final BooleanSupplier healthy) {
        try {
            return MetricsServer.start(config.metricsAddress(ProducerService.DEFAULT_METRICS_PORT), metrics,
                    healthy);
        } catch (EnvironmentException e) {
            throw new EnvironmentException(e.getMessage() + ", or run with --no-metrics", e);
        }
    }

    private KdConfig config() {
        final Map<String, String> overrides = new HashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        }
        return KdConfig.fromEnvironment(configFile, overrides);
    }

    FeatureStream stream() {
        final FeatureStream stream = undrifted();
        if (driftAt == null) {
            if (driftKind != null) {
                throw new IllegalArgumentException("--drift needs --drift-at: where in the stream it starts");
            }
            return stream;
        }
        if (!(driftAt >= 0 && driftAt < 1)) {
            throw new IllegalArgumentException("--drift-at is a fraction of the stream in [0, 1), got " + driftAt);
        }
        if (stream.size() < 0) {
            throw new IllegalArgumentException("--drift-at needs a finite stream (--repeat N or --count N)");
        }
        final Drift.Kind kind = Drift.Kind.of(driftKind == null ? "swap" : driftKind);
        return stream.drifting(Drift.of(kind, (long) Math.floor(driftAt * stream.size()), stream.trainingData()));
    }

    private FeatureStream undrifted() {
        if (holdout != null && train == null) {
            throw new IllegalArgumentException("--holdout needs --train (the default data brings its own holdout)");
        }
        if (holdout != null && holdoutFraction != null) {
            throw new IllegalArgumentException("--holdout-fraction and --holdout exclude each other: give one");
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be >= 0 (0 = as fast as possible), got " + rate);
        }
        // --count alone means "this many records", however many passes that takes
        final int passes = repeat != null ? repeat : count > 0 ? 0 : 1;
        final StreamOptions options = new StreamOptions(passes, labelledFraction,
                holdoutFraction == null ? 0 : holdoutFraction, count, seed);
        if (train == null) {
            final TrainTestSplit.Split split = TrainTestSplit.seedDefault();
            return holdoutFraction != null ? FeatureStream.of(split.train(), options)
                    : FeatureStream.of(split.train(), split.test(), options);
        }
        final Dataset trainData = CsvDatasetReader.read(train);
        if (holdout == null) {
            return FeatureStream.of(trainData, options);
        }
        final Dataset holdoutData = CsvDatasetReader.read(holdout, trainData.numClasses());
        return FeatureStream.of(trainData, holdoutData, options);
    }
}
