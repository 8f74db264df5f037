package dev.kdstream.student.serving;

import java.time.Duration;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;

/**
 * A running prediction server: {@link #start} creates missing topics and starts {@link ServingApp};
 * {@link #close} stops it. Opens no HTTP port: the student-service serves one {@code /metrics} for
 * its trainer and server together.
 */
public final class ServingService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServingService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final CurrentModel model;
    private final KafkaStreamsMetrics streamsMetrics;
    private final MeterRegistry registry;

    private ServingService(final KafkaStreams streams, final CurrentModel model,
                           final KafkaStreamsMetrics streamsMetrics, final MeterRegistry registry) {
        this.streams = streams;
        this.model = model;
        this.streamsMetrics = streamsMetrics;
        this.registry = registry;
    }

    /** Starts a server with the application id {@value ServingApp#APPLICATION_ID}. */
    public static ServingService start(final KdConfig config, final ServiceMetrics metrics) {
        return start(config, metrics, ServingApp.APPLICATION_ID);
    }

    /**
     * Replicas share an application id (and split the partitions); another id is an independent
     * server. Two instances in one JVM need distinct {@code state.dir}s.
     */
    public static ServingService start(final KdConfig config, final ServiceMetrics metrics,
                                       final String applicationId) {
        TopicAdmin.ensureTopics(config);
        final CurrentModel model = new CurrentModel();
        final KafkaStreams streams = new KafkaStreams(ServingApp.topology(config, model, metrics.registry()),
                ServingApp.streamsConfig(config, applicationId));
        streams.setUncaughtExceptionHandler(e -> {
            // invalid input is handled in the topology: what reaches here is a bug or a lost broker
            LOG.error("prediction server {} stopped: {}", applicationId, e.getMessage(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics.registry());
        streams.start();
        LOG.info("prediction server {} started: {} -> {}, models from {}", applicationId,
                config.topics().features(), config.topics().predictions(), config.topics().checkpoints());
        return new ServingService(streams, model, streamsMetrics, metrics.registry());
    }

    /** Running or rebalancing: what {@code /health} reports. */
    public boolean isHealthy() {
        final KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The checkpoint version being served, 0 before the first one. */
    public long servingVersion() {
        return model.version();
    }

    @Override
    public void close() {
        // leave the group: the other replicas take this one's partitions now, not after the session timeout
        streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streamsMetrics.close();
        // the gauge holds this server's model: a server started later on the same registry binds its own
        registry.find(MetricNames.MODEL_VERSION).tag(MetricNames.STAGE, CurrentModel.SERVING).meters()
                .forEach(registry::remove);
    }
}
