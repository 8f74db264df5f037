package dev.kdstream.student.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.ConfigKey;
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
        final List<String> needed = new ArrayList<>(List.of(topics.features(), topics.predictions(),
                topics.checkpoints(), topics.shadowPredictions(), topics.control()));
        if (config.lateLabelWindowMs() > 0) {
            needed.add(topics.labels());
        }
        TopicAdmin.ensureTopics(config, needed);
        final KdConfig served = withLateLabelsIfCoPartitioned(config);
        final CurrentModel model = new CurrentModel(config.servedStudent(), config.shadowStudents());
        final StreamsRunner streams = StreamsRunner.start("prediction server " + applicationId,
                ServingTopology.topology(served, model, metrics.registry()),
                ServingTopology.streamsConfig(served, applicationId), metrics.registry());
        LOG.info("prediction server {} started: {} -> {}, models from {}{}", applicationId, topics.features(),
                topics.predictions(), topics.checkpoints(), served.lateLabelWindowMs() > 0
                        ? ", answers scored against the late labels on " + topics.labels() : "");
        return new ServingService(streams, model, metrics.registry());
    }

    /**
     * {@code config}, or, when {@code labels} has another number of partitions than {@code features}
     * (a label keyed by its record's id would then be read by another task than its record), the same
     * without late labels, with a WARN saying so: the trainer still joins them, through the teacher.
     */
    private static KdConfig withLateLabelsIfCoPartitioned(final KdConfig config) {
        if (config.lateLabelWindowMs() == 0) {
            return config;
        }
        final TopicNames topics = config.topics();
        final Map<String, Integer> partitions = TopicAdmin.partitions(config.kafkaProperties(),
                List.of(topics.features(), topics.labels()));
        final int features = partitions.get(topics.features());
        final int labels = partitions.get(topics.labels());
        if (features == labels) {
            return config;
        }
        LOG.warn("{} has {} partitions and {} has {}: the server cannot meet a label with its record, so it does "
                + "not score its answers against late labels (the trainer still learns from them). Give both "
                + "topics the same number of partitions to have them scored.", topics.labels(), labels,
                topics.features(), features);
        return config.with(Map.of(ConfigKey.LABELS_WINDOW_MS.key(), "0"));
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
