package dev.kdstream.teacher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;

import io.micrometer.core.instrument.Gauge;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.MetricsServer;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.service.Service;
import dev.kdstream.contracts.service.StreamsRunner;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleFile;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.file.ModelFileException;
import dev.kdstream.teacher.refresh.EnsembleRefresher;
import dev.kdstream.teacher.streams.TeacherTopology;

/**
 * The running teacher: topics ensured, the {@link TeacherTopology} annotating {@code features}, and
 * {@code /metrics} + {@code /health} served. The handle the {@code teacher serve} command, the
 * one-JVM stack and the integration tests all start and stop the teacher with.
 */
public final class TeacherService implements Service {

    /** The teacher's metrics port when {@code metrics.port} is not set. */
    public static final int DEFAULT_METRICS_PORT = 9401;

    private final StreamsRunner streams;
    private final MetricsServer metricsServer;
    private final EnsembleManifest manifest;
    private final List<String> createdTopics;
    private final EnsembleRefresher refresher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TeacherService(final StreamsRunner streams, final MetricsServer metricsServer,
                           final EnsembleManifest manifest, final List<String> createdTopics,
                           final EnsembleRefresher refresher) {
        this.streams = streams;
        this.refresher = refresher;
        this.metricsServer = metricsServer;
        this.manifest = manifest;
        this.createdTopics = createdTopics;
    }

    /** Loads the ensemble from {@code ensembleFile} while the topics are checked, and starts. */
    public static TeacherService start(final KdConfig config, final Path ensembleFile, final ServiceMetrics metrics) {
        requireEnsembleFile(ensembleFile);
        return start(config, loadInBackground(() -> EnsembleFile.load(ensembleFile)), metrics,
                TeacherTopology.APPLICATION_ID);
    }

    public static TeacherService start(final KdConfig config, final TeacherEnsemble ensemble,
                                       final ServiceMetrics metrics) {
        return start(config, ensemble, metrics, TeacherTopology.APPLICATION_ID);
    }

    /**
     * @param ensemble      shared by the tasks, only read (each copies its weights into its own forward pass)
     * @param metrics       the caller's registry; the caller closes it after this service
     * @param applicationId Kafka Streams application id; instances with the same id share the work
     */
    public static TeacherService start(final KdConfig config, final TeacherEnsemble ensemble,
                                       final ServiceMetrics metrics, final String applicationId) {
        return start(config, CompletableFuture.completedFuture(ensemble), metrics, applicationId);
    }

    /**
     * Like {@link #start(KdConfig, TeacherEnsemble, ServiceMetrics, String)}, with an ensemble that may
     * still be loading ({@link #loadInBackground}): the topic checks, an Admin client's round trips,
     * run meanwhile instead of after ND4J's start and the file's read (seconds each), which is most of
     * what a restarted teacher can save before it resumes.
     */
    public static TeacherService start(final KdConfig config, final CompletableFuture<TeacherEnsemble> ensemble,
                                       final ServiceMetrics metrics, final String applicationId) {
        final TopicNames topics = config.topics();
        final TopicAdmin.Ensured ensured;
        try {
            // the features' id once per start; a topic re-created under a running teacher shows in its
            // offsets (see SoftTargetAnnotator)
            // checkpoints and control: global stores' topics must exist before the teacher starts
            ensured = TopicAdmin.ensureTopics(config, List.of(topics.features(), topics.softTargets(),
                    topics.featuresDlq(), topics.checkpoints(), topics.control(), topics.labels(), topics.labelsDlq(),
                    topics.driftEvents()),
                    topics.features());
        } catch (RuntimeException e) {
            // a load that failed meanwhile is the other half of what the user has to fix
            final Throwable failed = ensemble.handle((loaded, failure) -> failure).getNow(null);
            if (failed != null) {
                e.addSuppressed(loadFailure(failed));
            }
            throw e;
        }
        final TeacherEnsemble loaded = await(ensemble);
        // Prometheus's "info" idiom: the version is the label, the value is always 1
        Gauge.builder(MetricNames.ENSEMBLE, () -> 1)
                .description("the ensemble this teacher annotates with, in its version label")
                .tag(MetricNames.VERSION, loaded.manifest().versionId())
                .register(metrics.registry());
        final EnsembleRefresher refresher = TeacherTopology.refresher(config, loaded,
                Path.of(config.get(ConfigKey.MODEL_DIR)), metrics.registry());
        final StreamsRunner streams;
        try {
            streams = StreamsRunner.start(TeacherTopology.SERVICE,
                    TeacherTopology.topology(config, refresher, metrics.registry(), ensured.topicId()),
                    TeacherTopology.streamsConfig(config, applicationId), metrics.registry());
        } catch (RuntimeException e) {
            refresher.close();
            throw e;
        }
        try {
            final MetricsServer server = MetricsServer.start(config.metricsAddress(DEFAULT_METRICS_PORT),
                    metrics, streams::healthy);
            return new TeacherService(streams, server, loaded.manifest(), ensured.created(), refresher);
        } catch (RuntimeException e) {
            streams.close();
            refresher.close();
            throw e;
        }
    }

    /** The ensemble in {@code file}, or an error that says how to make one. */
    public static TeacherEnsemble loadEnsemble(final Path file) {
        requireEnsembleFile(file);
        return EnsembleFile.load(file);
    }

    /** Fails, saying how to make one, when there is no ensemble at {@code file}. */
    public static void requireEnsembleFile(final Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException("no teacher ensemble at " + file + ": train one with './kd teacher train'"
                    + " (or serve with --train-if-missing)");
        }
    }

    /** {@code load} on a daemon thread of its own, for {@link #start(KdConfig, CompletableFuture, ServiceMetrics, String)}. */
    public static CompletableFuture<TeacherEnsemble> loadInBackground(final Supplier<TeacherEnsemble> load) {
        return CompletableFuture.supplyAsync(load, task -> {
            final Thread thread = new Thread(task, "kd-ensemble-load");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The loaded ensemble, or the load's own exception (a {@link ModelFileException} names what is wrong). */
    private static TeacherEnsemble await(final CompletableFuture<TeacherEnsemble> ensemble) {
        try {
            return ensemble.join();
        } catch (CompletionException e) {
            if (loadFailure(e) instanceof RuntimeException cause) {
                throw cause;
            }
            if (loadFailure(e) instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The load's own exception, which the future wraps. */
    private static Throwable loadFailure(final Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The streams client's state, for status lines (CREATED, REBALANCING, RUNNING, ...). */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Why it stopped, in one line, if it stopped by failing (see {@link StreamsRunner#failureMessage()}). */
    public Optional<String> failureMessage() {
        return streams.failureMessage();
    }

    /** What {@code /health} answers: RUNNING or REBALANCING. */
    @Override
    public boolean healthy() {
        return streams.healthy();
    }

    public EnsembleManifest manifest() {
        return manifest;
    }

    /** The topics this start created (empty when they all existed). */
    public List<String> createdTopics() {
        return createdTopics;
    }

    public int metricsPort() {
        return metricsServer.port();
    }

    public String metricsUrl() {
        return "http://localhost:" + metricsPort() + "/metrics";
    }

    /** Blocks until the service stops, by {@link #close()} or because the streams client failed. */
    public void awaitStop() throws InterruptedException {
        streams.awaitStop();
    }

    /** @return false when still running after {@code timeout} */
    public boolean awaitStop(final Duration timeout) throws InterruptedException {
        return streams.awaitStop(timeout);
    }

    /** Stops the streams client (committing its work) and the metrics endpoint. Safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            streams.close();
        } finally {
            refresher.close();
            metricsServer.close();
        }
    }
}
