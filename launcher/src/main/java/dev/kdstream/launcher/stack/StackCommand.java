package dev.kdstream.launcher.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.client.produce.ProduceSummary;
import dev.kdstream.client.produce.stream.Drift;
import dev.kdstream.client.produce.ProducerService;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.contracts.kafka.HangingTransactionSweeper;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.MetricsServer;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.dashboard.Dashboard;
import dev.kdstream.dashboard.scrape.MetricsSource;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.secure.BrokerSecurity;
import dev.kdstream.launcher.cli.CtrlC;
import dev.kdstream.launcher.cli.DataOptions;
import dev.kdstream.launcher.dashboard.DashboardSources;
import dev.kdstream.launcher.secure.SecureCluster;
import dev.kdstream.launcher.secure.ServiceAcls;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.student.serving.ServingTopology;
import dev.kdstream.teacher.budget.TeacherBudget;
import dev.kdstream.teacher.streams.TeacherTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd stack}: the whole system in one JVM on a real Kafka broker. Starts the embedded KRaft
 * broker, creates the topics, trains (or loads) the ensemble, starts teacher, trainer and server,
 * streams the dataset through them with a live status line, prints the seed-style summary from the
 * holdout figures, and keeps running for the user to feed and query.
 */
@Command(name = "stack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the whole streaming system in one JVM: a real Kafka broker (KRaft) on localhost, the "
                    + "teacher-service, the student trainer and prediction server, and a producer that streams "
                    + "the dataset through them.",
            "",
            "Default run: the seed's synthetic data; the training split replayed for the seed's 50 epochs, "
                    + "the test split as holdout after each pass. At the end of the stream it prints the summary "
                    + "from the holdout figures, then keeps running (feed 'features', read 'predictions') until "
                    + "Ctrl-C, or stops with --exit."},
        footer = {"", "Examples:",
            "  ./kd stack",
            "  ./kd stack --epochs 5 --exit",
            "  ./kd stack --rate 5000 --duration 60",
            "  ./kd stack --dashboard-port 8080"})
public final class StackCommand implements Callable<Integer> {

    /** A run's recording is named by its start, in UTC, sortable. */
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss")
            .withZone(ZoneOffset.UTC);

    /** {@code --data-dir}'s default. */
    public static final String DEFAULT_DATA_DIR = ".kd";

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Broker port on localhost (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DEFAULT_DATA_DIR,
            description = "Broker data, Streams state and the cached ensemble (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--keep-data",
            description = "Reuse the broker's topics and the Streams state of the last run (default: start clean; "
                    + "the trained ensemble is cached either way).")
    boolean keepData;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "50",
            description = "Passes over the training split (default: ${DEFAULT-VALUE}, the seed's student epochs).")
    int epochs;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "Events per second from the producer; 0 = as fast as the stack takes them (default).")
    double rate;

    @Option(names = "--labelled-fraction", paramLabel = "F", defaultValue = "1.0",
            description = "Share of training records sent with their label (default: ${DEFAULT-VALUE}); "
                    + "the rest are unlabelled transfer data.")
    double labelledFraction;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop producing after this many seconds (default: at the end of the stream).")
    Long durationSeconds;

    @Option(names = "--scenario", paramLabel = "NAME", description = "drift: the concept changes part way through "
            + "the stream (--drift, --drift-at); at the end the stack prints where the trainer's detectors fired, and "
            + "for the ensemble, the distilled student and the baseline the accuracy before, the lowest after and "
            + "the records each took to recover.")
    String scenario;

    @Option(names = "--drift", paramLabel = "KIND", description = "With --scenario drift: swap, shift or rotate "
            + "(see ./kd produce --drift; default: rotate).")
    String driftKind;

    @Option(names = "--drift-at", paramLabel = "F",
            description = "With --scenario drift: where in the stream the change starts (default: 0.5).")
    Double driftAt;

    @Option(names = "--exit", description = "Stop after the summary instead of running until Ctrl-C.")
    boolean exit;

    @Option(names = "--secure",
            description = "Run the broker secured (SASL_SSL with SCRAM-SHA-512, ACLs) and each service as its own "
                    + "principal, as './kd broker --secure' does; credentials in <data-dir>/secure.")
    boolean secure;

    // One partition by default: each Streams app runs one stream thread in this JVM, so more
    // partitions add no parallelism here, and with one the holdout window is exactly the last pass
    // over the test split (with two, passes interleave across the window and the figure drifts).
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Partitions of the topics (default: ${DEFAULT-VALUE}; more only help with more "
                    + "service instances).")
    int partitions;

    @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "" + DashboardSources.DEFAULT_PORT,
            description = "The live page's port on localhost (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int dashboardPort;

    @Option(names = "--no-dashboard", description = "No live page (and no recording for './kd report').")
    boolean noDashboard;

    @Option(names = "--teacher-budget", paramLabel = "B",
            description = "Share of the training records the ensemble annotates, in (0, 1] (default: "
                    + "KD_TEACHER_BUDGET, else 1.0); holdout records always are. A labelled record left out still "
                    + "trains both students on its label.")
    String teacherBudget;

    @Option(names = "--sampler", paramLabel = "S",
            description = "Which records the budget buys: uniform, uncertainty (those the served student is least "
                    + "sure of) or adaptive (the budget moves with student-teacher agreement) (default: "
                    + "KD_TEACHER_SAMPLER, else uniform).")
    String sampler;

    /** Set once the stack waits for Ctrl-C: told when everything is closed, so the JVM halts after a clean stop. */
    private volatile CtrlC ctrlC;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            if (ctrlC != null) {
                ctrlC.closed();
            }
        }
    }

    private int run() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final long start = System.nanoTime();
        final Path brokerDir = dataDir.resolve("kafka");
        final Path stateDir = dataDir.resolve("state");
        if (!keepData) {
            deleteRecursively(brokerDir);
            deleteRecursively(stateDir);
        }
        final TrainTestSplit.Split split = data.load();
        final Map<String, String> budgetOverrides = new LinkedHashMap<>();
        if (teacherBudget != null) {
            budgetOverrides.put(ConfigKey.TEACHER_BUDGET.key(), teacherBudget);
        }
        if (sampler != null) {
            budgetOverrides.put(ConfigKey.TEACHER_SAMPLER.key(), sampler);
        }
        final Drift.Kind drift = driftKind();
        // refused here, with the setting's name, before a broker starts
        final TeacherBudget budget = TeacherBudget.of(KdConfig.fromEnvironment(null, budgetOverrides));

        out.println("kd stack: starting the Kafka broker (KRaft, in this JVM) ...");
        out.flush();
        final BrokerSecurity security = secure ? SecureCluster.credentials(dataDir.resolve("secure"), false,
                List.of()) : null;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("localhost", "localhost", port, brokerDir,
                security)) {
            final Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers());
            overrides.put(ConfigKey.STATE_DIR.key(), stateDir.toString());
            overrides.put(ConfigKey.MODEL_DIR.key(), modelDir(dataDir).toString());
            overrides.put(ConfigKey.TOPIC_PARTITIONS.key(), Integer.toString(partitions));
            overrides.putAll(budgetOverrides);
            final KdConfig config = KdConfig.fromEnvironment(null, overrides);
            final List<String> created = secure ? List.of() : TopicAdmin.ensureTopics(config.kafkaProperties(),
                    config.topics(), partitions, (short) 1);
            final Map<String, Path> clientFiles = secure ? SecureCluster.setUp(broker, config, partitions) : Map.of();
            out.println("kafka:     " + broker.bootstrapServers() + (secure
                    ? "  (secured: SASL_SSL, SCRAM-SHA-512, ACLs; credentials in " + dataDir.resolve("secure") + ")"
                    : "  (topics created: " + created + ")"));

            // measured before the services start taking it (a secured broker lets only them read their groups)
            final Backlog backlog = keepData && !secure ? Backlog.measure(config.kafkaProperties(),
                    config.topics().features(), TeacherTopology.APPLICATION_ID, ServingTopology.APPLICATION_ID)
                    : Backlog.NONE;
            if (backlog.features() > 0) {
                out.printf(Locale.ROOT, "kept:      %s holds %,d records from earlier runs; %,d not yet annotated, "
                        + "%,d not yet answered: the services take them first%n", config.topics().features(),
                        backlog.features(), backlog.unannotated(), backlog.unanswered());
            }
            final TeacherEnsemble ensemble = EnsembleCache.loadOrTrain(modelDir(dataDir), split.train(),
                    Hyperparameters.defaults(), out);
            final List<HangingTransactionSweeper> sweepers = secure
                    ? SecureCluster.sweepers(broker, config.topics(), new SimpleMeterRegistry()) : List.of();
            // on a secured broker each service connects as its own principal
            try (Pipeline pipeline = Pipeline.start(new Pipeline.ServiceConfigs(
                         SecureCluster.as(broker, ServiceAcls.TEACHER, config),
                         SecureCluster.as(broker, ServiceAcls.TRAINER, config),
                         SecureCluster.as(broker, ServiceAcls.SERVER, config)), ensemble);
                 ServiceMetrics producerMetrics = new ServiceMetrics("producer");
                 MetricsServer producerEndpoint = MetricsServer.start(new InetSocketAddress(
                         config.metricsBind(), ProducerService.DEFAULT_METRICS_PORT),
                         producerMetrics, () -> true)) {
                final String producerUrl = "http://localhost:" + producerEndpoint.port() + "/metrics";
                out.println("metrics:   teacher " + pipeline.teacherMetricsUrl() + "   student "
                        + pipeline.studentMetricsUrl() + "   producer " + producerUrl);
                // an inner try: the page closes before the services, its last scrape still finding them up
                try (Dashboard dashboard = noDashboard ? null : startDashboard(pipeline, producerUrl, out)) {
                    final FeatureStream plain = FeatureStream.of(split.train(), split.test(),
                            StreamOptions.defaults().withRepeat(epochs).withLabelledFraction(labelledFraction));
                    final long changeAt = drift == null ? -1 : (long) Math.floor(driftAtOrDefault() * plain.size());
                    final FeatureStream stream = drift == null ? plain
                            : plain.drifting(Drift.of(drift, changeAt, split.train()));
                    final DriftScenario scenarioReport = drift == null ? null : new DriftScenario(drift, changeAt);
                    if (scenarioReport != null) {
                        pipeline.trainer().onScored(scenarioReport);
                    }
                    out.println("streaming: " + stream.describe());
                    if (!budget.everything()) {
                        out.println("teacher:   " + budget + "; holdout records always annotated");
                    }
                    out.flush();
                    final long streamStart = System.nanoTime();
                    final ProducerService producer = ProducerService.start(
                            SecureCluster.as(broker, ServiceAcls.PRODUCER, config), stream, rate, producerMetrics,
                            null);
                    final StackStatus status = new StackStatus(pipeline, producer, stream.size(), backlog);
                    final boolean finished = status.runUntilDone(out, durationSeconds);
                    final ProduceSummary produced = producer.awaitCompletion();
                    producer.close();
                    StackSummary.print(out, status, produced, ensemble, (System.nanoTime() - start) / 1e9,
                            (System.nanoTime() - streamStart) / 1e9, finished);
                    if (scenarioReport != null) {
                        scenarioReport.print(out, SecureCluster.as(broker, ServiceAcls.READER, config));
                    }
                    if (dashboard != null) {
                        out.println("report:    ./kd report " + dashboard.recordFile()
                                + "   (the learning curves as PNG charts and one HTML page)");
                    }
                    if (exit) {
                        return produced.successful() ? 0 : 1;
                    }
                    waitForCtrlC(out, broker.bootstrapServers(), config, clientFiles);
                }
            } finally {
                sweepers.forEach(HangingTransactionSweeper::close);
            }
        }
        return 0;
    }

    /** The drift of {@code --scenario drift}, checked; null without a scenario. */
    private Drift.Kind driftKind() {
        if (scenario == null) {
            if (driftKind != null || driftAt != null) {
                throw new IllegalArgumentException("--drift and --drift-at go with --scenario drift");
            }
            return null;
        }
        if (!scenario.equals("drift")) {
            throw new IllegalArgumentException("--scenario must be drift, got '" + scenario + "'");
        }
        final double at = driftAtOrDefault();
        if (!(at > 0 && at < 1)) {
            throw new IllegalArgumentException("--drift-at is a fraction of the stream in (0, 1), got " + at);
        }
        // the report places each record by the order the trainer scores them in: all of them, in the producer's
        if (partitions != 1 || teacherBudget != null || sampler != null) {
            throw new IllegalArgumentException("--scenario drift measures every record in the stream's order: one "
                    + "partition and no teacher budget (no --partitions, --teacher-budget or --sampler)");
        }
        return Drift.Kind.of(driftKind == null ? "rotate" : driftKind);
    }

    private double driftAtOrDefault() {
        return driftAt == null ? 0.5 : driftAt;
    }

    /** The live page, reading the services' /metrics, and the run's recording for {@code ./kd report}. */
    private Dashboard startDashboard(final Pipeline pipeline, final String producerUrl, final PrintWriter out) {
        final Path recording = runsDir(dataDir).resolve(RUN_NAME.format(Instant.now()) + ".jsonl");
        final Dashboard dashboard = Dashboard.start(List.of(
                        new MetricsSource("teacher", URI.create(pipeline.teacherMetricsUrl())),
                        new MetricsSource("student", URI.create(pipeline.studentMetricsUrl())),
                        new MetricsSource("producer", URI.create(producerUrl))),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), dashboardPort), recording);
        out.println("dashboard: " + dashboard.url() + "   (recording " + recording + ")");
        return dashboard;
    }

    /** Where the stack records its runs under {@code dataDir}. */
    public static Path runsDir(final Path dataDir) {
        return dataDir.resolve("runs");
    }

    private void waitForCtrlC(final PrintWriter out, final String bootstrap, final KdConfig config,
                              final Map<String, Path> clientFiles) throws InterruptedException {
        out.println();
        out.println("The stack keeps running. Try, in another terminal:");
        if (clientFiles.isEmpty()) {
            out.println("  ./kd produce --bootstrap-servers " + bootstrap + " --count 1000 --rate 200 --no-metrics");
            out.println("  ./kd query --bootstrap-servers " + bootstrap + " --last 5");
            out.println("  kcat -b " + bootstrap + " -t " + config.topics().predictions() + " -C -o -5 -e");
        } else {
            out.println("  KD_CONFIG=" + clientFiles.get(ServiceAcls.PRODUCER)
                    + " ./kd produce --count 1000 --rate 200 --no-metrics");
            out.println("  KD_CONFIG=" + clientFiles.get(ServiceAcls.READER) + " ./kd query --last 5");
        }
        out.println("Ctrl-C stops it.");
        out.flush();
        // the main thread closes the services and the broker before the JVM halts
        ctrlC = new CtrlC("kd-stack", Duration.ofSeconds(30));
        ctrlC.await();
        out.println("kd stack: stopping ...");
        out.flush();
    }

    /** Where the stack caches its ensemble under {@code dataDir}. */
    public static Path modelDir(final Path dataDir) {
        return dataDir.resolve("models");
    }

    public static void deleteRecursively(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
