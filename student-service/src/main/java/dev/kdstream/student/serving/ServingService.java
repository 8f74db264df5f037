package dev.kdstream.student.serving;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.service.Service;
import dev.kdstream.contracts.service.StreamsRunner;
import dev.kdstream.model.served.CurrentModel;

/**
 * A running prediction server: {@link #start} creates missing topics and runs the
 * {@link ServingTopology}; {@link #close} stops it. Opens no HTTP port: the student-service serves
 * one {@code /metrics} for its trainer and server together.
 */
public final class ServingService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(ServingService.class);

    private final StreamsRunner streams;
    private final CurrentModel model;
    private final MeterRegistry registry;

    private ServingService(final StreamsRunner streams, final CurrentModel model, final MeterRegistry registry) {
        this.streams = streams;
        this.model = model;
        this.registry = registry;
    }

    /** Starts a server with the application id {@value ServingTopology#APPLICATION_ID}. */
    public static ServingService start(final KdConfig config, final ServiceMetrics metrics) {
        return start(config, metrics, ServingTopology.APPLICATION_ID);
    }

    /**
     * Replicas share an application id (and split the partitions); another id is an independent
     * server. Two instances in one JVM need distinct {@code state.dir}s.
     */
    public static ServingService start(final KdConfig config, final ServiceMetrics metrics,
                                       final String applicationId) {
        final TopicNames topics = config.topics();
        TopicAdmin.ensureTopics(config, List.of(topics.features(), topics.predictions(), topics.checkpoints(),
                topics.shadowPredictions(), topics.control()));
        final CurrentModel model = new CurrentModel(config.servedStudent(), config.shadowStudents());
        final StreamsRunner streams = StreamsRunner.start("prediction server " + applicationId,
                ServingTopology.topology(config, model, metrics.registry()),
                ServingTopology.streamsConfig(config, applicationId), metrics.registry());
        LOG.info("prediction server {} started: {} -> {}, models from {}", applicationId,
                config.topics().features(), config.topics().predictions(), config.topics().checkpoints());
        return new ServingService(streams, model, metrics.registry());
    }

    /** What stopped it, if a failure did. */
    public Optional<Throwable> failure() {
        return streams.failure();
    }

    /** Why it stopped, in one line, if it stopped by failing (see {@link StreamsRunner#failureMessage()}). */
    public Optional<String> failureMessage() {
        return streams.failureMessage();
    }

    /** Running or rebalancing: what {@code /health} reports. */
    @Override
    public boolean healthy() {
        return streams.healthy();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The checkpoint version being served, 0 before the first one. */
    public long servingVersion() {
        return model.version();
    }

    /** The trainer id whose student is served. */
    public String servedStudent() {
        return model.roster().served();
    }

    @Override
    public void close() {
        streams.close();
        // the gauge holds this server's model: a server started later on the same registry binds its own
        registry.find(MetricNames.MODEL_VERSION).tag(MetricNames.STAGE, CurrentModel.SERVING).meters()
                .forEach(registry::remove);
        registry.find(MetricNames.CONTROL_VERSION).tag(MetricNames.PART, MetricNames.SERVER).meters()
                .forEach(registry::remove);
    }
}
