package dev.kdstream.student.serving;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.ControlMeters;
import dev.kdstream.contracts.kafka.RawGlobalStore;
import dev.kdstream.contracts.kafka.StreamsDefaults;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.Prediction;
import dev.kdstream.model.served.CheckpointLoader;
import dev.kdstream.model.served.CurrentModel;

/**
 * The prediction server's Kafka Streams topology and its config: {@code features} (raw JSON bytes)
 * in, {@code predictions} out, one per valid record, each stamped with the checkpoint version that
 * made it. With late labels on ({@code labels.window.ms} above 0), {@code labels} in too: each label
 * scores what was served for its record ({@link ServedLabelJoin}).
 *
 * <p>The checkpoints reach every replica through a global store over {@code student-checkpoints}:
 * each replica swaps to the newest student as it arrives, without a pause or a rebalance.
 * {@link ServingService} runs it.
 */
public final class ServingTopology {

    public static final String APPLICATION_ID = "kd-server";
    /** Records that arrived before the first checkpoint (changelogged). */
    public static final String HELD_STORE = "held-features";
    /** The raw checkpoint records, one per trainer (global: every replica has all of them). */
    public static final String CHECKPOINT_STORE = "checkpoints";

    static final String FEATURES_SOURCE = "features-source";
    static final String PREDICT = "predict";
    static final String PREDICTIONS_SINK = "predictions-sink";
    static final String SHADOW_SINK = "shadow-predictions-sink";
    static final String LABELS_SOURCE = "labels-source";
    static final String SCORE_LABELS = "score-late-labels";
    /** The control records, raw (global: which student is served). */
    public static final String CONTROL_STORE = "control";

    private ServingTopology() {
    }

    static Properties streamsConfig(final KdConfig config) {
        return streamsConfig(config, APPLICATION_ID);
    }

    /** @param applicationId another id runs an independent server (tests; a second model; benchmarks) */
    public static Properties streamsConfig(final KdConfig config, final String applicationId) {
        final Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.get(ConfigKey.STATE_DIR));
        final String guarantee = config.get(ConfigKey.SERVER_GUARANTEE);
        if (guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            // The default, as in Kafka Streams itself. A prediction is a pure function of the record
            // and the model, so a repeat after a crash is the same record answered again (by the
            // newest model), and it is visible as soon as it is written: under exactly-once it waits
            // for the transaction's commit, an order of magnitude longer (docs/benchmarks.md, end to
            // end). Streams' producer default (linger.ms 100) would
            // give the latency back; its 30 s commit interval would make the repeats after a crash
            // 30 s of records, so 1 s unless the user set one.
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
            StreamsDefaults.producerDefault(p, ProducerConfig.LINGER_MS_CONFIG, "1");
            p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        } else if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
            // the held records' changelog, the predictions and the input offsets commit together:
            // one prediction per record, visible to read_committed readers once its transaction commits
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        } else {
            throw new IllegalArgumentException(ConfigKey.SERVER_GUARANTEE.key() + " (" + ConfigKey.SERVER_GUARANTEE.env()
                    + ") must be " + StreamsConfig.AT_LEAST_ONCE + " or " + StreamsConfig.EXACTLY_ONCE_V2 + ", got '"
                    + guarantee + "'");
        }
        CheckpointLoader.streamsConfig(p);
        p.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.get(ConfigKey.TOPIC_REPLICATION_FACTOR));
        StreamsDefaults.staticMembership(p, config);
        return p;
    }

    /**
     * The topology with the topics, students and record limit of {@code config}; registers the
     * server's meters in {@code registry} too.
     *
     * @param model served from {@code config.servedStudent()}, shadowed by {@code server.shadows}: swapped by
     *              the checkpoint loader, switched by the control loader, read by the predictor
     */
    public static Topology topology(final KdConfig config, final CurrentModel model, final MeterRegistry registry) {
        final TopicNames names = config.topics();
        final int maxRecordBytes = config.getInt(ConfigKey.MAX_RECORD_BYTES);
        final Topics topics = Topics.of(names);
        final Topic<byte[], byte[]> features = topics.features();
        final Topic<String, Prediction> predictions = topics.predictions();
        final ServingMeters meters = new ServingMeters();
        meters.bindTo(registry);
        model.bindTo(registry);

        final Topology topology = new Topology();
        topology.addSource(FEATURES_SOURCE, features.keySerde().deserializer(), features.valueSerde().deserializer(),
                features.name());
        final long labelsWindowMs = config.lateLabelWindowMs();
        topology.addProcessor(PREDICT, () -> new PredictionProcessor(HELD_STORE, model, maxRecordBytes, meters,
                PREDICTIONS_SINK, SHADOW_SINK, labelsWindowMs), FEATURES_SOURCE);
        // persistent: a long wait for the first checkpoint may hold more records than fit in the heap
        topology.addStateStore(Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(HELD_STORE), Serdes.Long(), Serdes.ByteArray()), PREDICT);
        topology.addSink(PREDICTIONS_SINK, predictions.name(), predictions.keySerde().serializer(),
                predictions.valueSerde().serializer(), PREDICT);
        final Topic<String, Prediction> shadowPredictions = topics.shadowPredictions();
        topology.addSink(SHADOW_SINK, shadowPredictions.name(), shadowPredictions.keySerde().serializer(),
                shadowPredictions.valueSerde().serializer(), PREDICT);
        if (labelsWindowMs > 0) {
            // labels keyed by id land on the partition of their record: same task, same stores
            final Topic<byte[], byte[]> labels = topics.labels();
            final Duration retention = Duration.ofMillis(ServedLabelJoin.retention(labelsWindowMs));
            // without a committed offset (a new server, or late labels just turned on), the labels that can
            // still meet an answer: from the start of the topic, a long backlog of labels would each be read,
            // kept and counted, and the features of the same task would wait behind it
            topology.addSource(AutoOffsetReset.byDuration(retention), LABELS_SOURCE, labels.keySerde().deserializer(),
                    labels.valueSerde().deserializer(), labels.name());
            topology.addProcessor(SCORE_LABELS, () -> new LateLabelProcessor(model, labelsWindowMs, maxRecordBytes,
                    meters), LABELS_SOURCE);
            topology.addStateStore(lateLabelStore(ServedLabelJoin.ANSWERS_STORE, retention, ServedAnswers.serde()),
                    PREDICT, SCORE_LABELS);
            topology.addStateStore(lateLabelStore(ServedLabelJoin.EARLY_LABELS_STORE, retention, Serdes.Integer()),
                    PREDICT, SCORE_LABELS);
        }

        CheckpointLoader.addTo(topology, CHECKPOINT_STORE, names.checkpoints(), model, registry);
        final AtomicLong controlVersion = new AtomicLong(ServedStudentControl.CONFIGURED);
        final ControlMeters controlMeters = new ControlMeters(registry, MetricNames.SERVER, controlVersion::get);
        RawGlobalStore.add(topology, CONTROL_STORE, names.control(),
                () -> new ServedStudentControl(config, model, controlVersion, controlMeters));
        return topology;
    }

    /** One of the late-label join's stores: by record id and event time, on disk, changelogged. */
    private static <V> StoreBuilder<WindowStore<String, V>> lateLabelStore(final String name, final Duration retention,
                                                                          final Serde<V> values) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, retention, false),
                Serdes.String(), values);
    }
}
