package dev.kdstream.teacher.streams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.ControlMeters;
import dev.kdstream.contracts.kafka.RawGlobalStore;
import dev.kdstream.contracts.kafka.StreamsDefaults;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.LabelParser;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.served.CheckpointLoader;
import dev.kdstream.model.served.CurrentModel;
import dev.kdstream.teacher.budget.ControlLoader;
import dev.kdstream.teacher.budget.LiveBudget;
import dev.kdstream.teacher.drift.DriftAlarm;
import dev.kdstream.teacher.refresh.EnsembleRefresher;

/**
 * The teacher's Kafka Streams topology and its config: {@code features} (raw JSON bytes) to
 * {@code soft-targets} (id, SoftTargetRecord), invalid records to {@code features-dlq} byte for byte.
 * <pre>
 *   features ──► validate ──► select (teacher budget) + annotate (batched ensemble, position store) ──► soft-targets
 *                    └──────► features-dlq                ▲
 *   student-checkpoints ──► served student (global store, for the samplers that look at it)
 *   labels ──► validate ──► soft-targets, as late_label records for the trainer to join (when labels.window.ms > 0)
 *                 └──────► labels-dlq
 *   control ──► the teacher budget in force (global store; a change is taken at a record boundary)
 *   drift-events ──► after a trainer's detection, teacher.drift.boost records annotated in full (global store)
 * </pre>
 * Written with the Processor API because the annotator batches across records and punctuations
 * and keeps its position in a state store; see {@link SoftTargetAnnotator} for why that is
 * exactly-once. {@link dev.kdstream.teacher.TeacherService} runs it.
 */
public final class TeacherTopology {

    /** The default application id: teacher instances with the same id share the partitions. */
    public static final String APPLICATION_ID = "kd-teacher";
    /** The service name on dead-letter headers and metrics. */
    public static final String SERVICE = "teacher";
    /**
     * The annotator's position, one offset per task (see {@link SoftTargetAnnotator}); its changelog
     * is {@code <application id>-teacher-position-changelog}.
     */
    public static final String POSITION_STORE = "teacher-position";
    /** The checkpoints the budget's sampler follows the served student by (global). */
    public static final String STUDENT_STORE = "served-student";
    /** The control topic's settings (global): the teacher budget in force. */
    public static final String CONTROL_STORE = "control";
    /** The drifts the trainers report (global): a boost of the budget after each. */
    public static final String DRIFT_STORE = "drift-events";

    static final String SOURCE = "features-source";
    static final String VALIDATE = "validate";
    static final String ANNOTATE = "annotate";
    static final String SOFT_TARGETS_SINK = "soft-targets-sink";
    static final String DEAD_LETTER_SINK = "features-dlq-sink";
    static final String LABELS_SOURCE = "labels-source";
    static final String FORWARD_LABELS = "forward-labels";
    static final String LABELS_DEAD_LETTER_SINK = "labels-dlq-sink";

    /**
     * How long a task may take to read its unannotated input again (at most a linger and a commit
     * interval of records). Well under the 10 s transaction timeout Kafka Streams sets under
     * exactly-once: the stream thread blocks meanwhile, with its transaction open. Past it the
     * read fails and Kafka Streams revives the task, which reads again (see {@link SoftTargetAnnotator}).
     */
    static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(5);
    /** The producer's batch.size unless the user sets one (see {@link #streamsConfig}). */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    private TeacherTopology() {
    }

    /** Client properties from the config, then what this app needs. */
    public static Properties streamsConfig(final KdConfig config, final String applicationId) {
        final Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.get(ConfigKey.STATE_DIR));
        // the batching buffer is only loss- and duplicate-free under exactly-once: not negotiable
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.getInt(ConfigKey.TOPIC_REPLICATION_FACTOR));
        // an idle stream thread wakes up this often to run the linger punctuation: no longer than the linger
        p.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, Math.max(10L, Math.min(100L, lingerMs(config))));
        // the served student's global store
        CheckpointLoader.streamsConfig(p);
        // a dead letter is the whole input record plus headers: room for a maximal input (the DLQ
        // topic is created with the same limit, see TopicAdmin)
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), TopicAdmin.DLQ_MAX_BYTES);
        // 256 KB batches, not 16 KB: a soft target is ~600 bytes, so the default sent a produce request
        // per ~25 records, and the broker's request handlers and this producer's network thread paid
        // per request. Under exactly-once every commit flushes anyway, so no record waits longer.
        // Measured side by side: the broker's CPU per record down a third (./kd bench e2e, docs/benchmarks.md).
        StreamsDefaults.producerDefault(p, ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_BYTES);
        StreamsDefaults.staticMembership(p, config);
        return p;
    }

    public static Properties streamsConfig(final KdConfig config) {
        return streamsConfig(config, APPLICATION_ID);
    }

    /**
     * @param ensemble        shared by every task, only read: each task builds its own forward pass
     *                        from its weights (not thread-safe), so no task runs the ensemble's
     *                        networks; its version is stamped on every soft target
     * @param featuresTopicId the id of the {@code features} topic as it is now: a position stored
     *                        for another is ignored (see {@link StoredPosition})
     */
    public static Topology topology(final KdConfig config, final TeacherEnsemble ensemble,
                                    final MeterRegistry registry, final Uuid featuresTopicId) {
        return topology(config, refresher(config, ensemble, null, registry), registry, featuresTopicId);
    }

    /** @param ensembles the ensemble to annotate with, refreshed after a drift (the caller closes it) */
    public static Topology topology(final KdConfig config, final EnsembleRefresher ensembles,
                                    final MeterRegistry registry, final Uuid featuresTopicId) {
        return topology(config, ensembles, registry, featuresTopicId,
                new KafkaInputReplay(config.kafkaProperties(), REPLAY_TIMEOUT));
    }

    /**
     * The refresher of {@code config}'s {@code teacher.refresh*} settings around {@code ensemble}.
     *
     * @param saveDir where a refreshed ensemble is saved, or null
     */
    public static EnsembleRefresher refresher(final KdConfig config, final TeacherEnsemble ensemble,
                                              final java.nio.file.Path saveDir, final MeterRegistry registry) {
        return new EnsembleRefresher(ensemble, config.getInt(ConfigKey.TEACHER_REFRESH_RECORDS), saveDir, registry);
    }

    /** @param replay how the annotator reads its input again (a test's may fail first) */
    static Topology topology(final KdConfig config, final EnsembleRefresher ensembles, final MeterRegistry registry,
                             final Uuid featuresTopicId, final InputReplay replay) {
        final EnsembleManifest manifest = ensembles.current().manifest();
        final Topics topics = Topics.of(config.topics());
        final int batchSize = config.getInt(ConfigKey.TEACHER_BATCH_SIZE);
        if (batchSize < 1) {
            throw new IllegalArgumentException(ConfigKey.TEACHER_BATCH_SIZE.key() + " must be >= 1, got " + batchSize);
        }
        final Duration linger = Duration.ofMillis(lingerMs(config));
        final long maxWaitMs = config.getLong(ConfigKey.TEACHER_MAX_WAIT_MS);
        if (maxWaitMs < 1) {
            throw new IllegalArgumentException(ConfigKey.TEACHER_MAX_WAIT_MS.key() + " must be >= 1, got " + maxWaitMs);
        }
        // never shorter than the linger: a batch always gets that long
        final Duration maxWait = Duration.ofMillis(Math.max(maxWaitMs, linger.toMillis()));
        final FeatureParser parser = new FeatureParser(manifest.inputWidth(), manifest.numClasses(),
                config.getInt(ConfigKey.MAX_RECORD_BYTES));
        final TeacherMetrics metrics = new TeacherMetrics(registry);
        final AtomicReference<LiveBudget> live = new AtomicReference<>(LiveBudget.of(config, LiveBudget.CONFIGURED));
        final ControlMeters controlMeters = ControlLoader.meters(live, registry);
        final CurrentModel student = new CurrentModel(config.servedStudent(), List.of());
        // labels may come later: passed on, with the records not annotated for them to join
        final boolean lateLabels = config.lateLabelWindowMs() > 0;
        // after a drift: the boost is the annotators' to spend, a refresh the refresher's to start
        final DriftAlarm alarm = new DriftAlarm(System.currentTimeMillis(), () -> {
            if (live.get().refresh()) {
                ensembles.drifted();
            }
        });

        final Topology topology = new Topology();
        // earliest: features produced before the teacher first started are annotated too
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, topics.features().keySerde().deserializer(),
                topics.features().valueSerde().deserializer(), topics.features().name());
        topology.addProcessor(VALIDATE, () -> new FeatureValidator(parser, metrics, ANNOTATE, DEAD_LETTER_SINK,
                POSITION_STORE, featuresTopicId), SOURCE);
        topology.addProcessor(ANNOTATE, () -> new SoftTargetAnnotator(topics.features().name(), featuresTopicId,
                POSITION_STORE, batchSize, linger, maxWait, ensembles, parser, replay, metrics, live::get, student,
                lateLabels, alarm), VALIDATE);
        // the validator only reads it: records before the position are not validated again
        topology.addStateStore(positionStore(), VALIDATE, ANNOTATE);
        if (lateLabels) {
            topology.addSource(AutoOffsetReset.earliest(), LABELS_SOURCE, topics.labels().keySerde().deserializer(),
                    topics.labels().valueSerde().deserializer(), topics.labels().name());
            final LabelParser labels = new LabelParser(manifest.numClasses(), config.getInt(ConfigKey.MAX_RECORD_BYTES));
            topology.addProcessor(FORWARD_LABELS, () -> new LabelForwarder(labels, metrics,
                    () -> live.get().temperatureOr(manifest.temperature()),
                    () -> ensembles.current().manifest().versionId(), SOFT_TARGETS_SINK,
                    LABELS_DEAD_LETTER_SINK), LABELS_SOURCE);
            topology.addSink(LABELS_DEAD_LETTER_SINK, topics.labelsDlq().name(),
                    topics.labelsDlq().keySerde().serializer(), topics.labelsDlq().valueSerde().serializer(),
                    FORWARD_LABELS);
        }
        final String[] toSoftTargets = lateLabels ? new String[] {ANNOTATE, FORWARD_LABELS} : new String[] {ANNOTATE};
        topology.addSink(SOFT_TARGETS_SINK, topics.softTargets().name(), topics.softTargets().keySerde().serializer(),
                topics.softTargets().valueSerde().serializer(), toSoftTargets);
        topology.addSink(DEAD_LETTER_SINK, topics.featuresDlq().name(), topics.featuresDlq().keySerde().serializer(),
                topics.featuresDlq().valueSerde().serializer(), VALIDATE);
        // the uncertainty and adaptive samplers look at the student being served, following the same
        // checkpoints as the server; always there, since the control topic may switch to them
        CheckpointLoader.addTo(topology, STUDENT_STORE, config.topics().checkpoints(), student, registry);
        // the budget in force, decoded (and refused with a reason) by the loader
        RawGlobalStore.add(topology, CONTROL_STORE, config.topics().control(),
                () -> new ControlLoader(config, live, student, controlMeters));
        // a drift the trainers found: spend more teacher while the students learn the new concept
        RawGlobalStore.add(topology, DRIFT_STORE, config.topics().driftEvents(), () -> new DriftAlarm.Loader(alarm));
        return topology;
    }

    /**
     * The annotator's position: in memory (a key per task), changelogged so that a task's next
     * owner knows where the records it must read again begin.
     */
    static StoreBuilder<KeyValueStore<String, Long>> positionStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POSITION_STORE), Serdes.String(),
                        Serdes.Long())
                .withCachingDisabled()
                .withLoggingEnabled(POSITION_CHANGELOG_CONFIG);
    }

    /**
     * The position's changelog: a record per flush, up to one per linger interval and task, and a
     * transaction marker per commit. Compaction only cleans closed segments: 1 MB ones keep the
     * topic, and so a restore, small, not at the default's 1 GB of positions already superseded.
     * Compaction keeps transaction markers (and tombstones) for {@code delete.retention.ms}: 5
     * minutes of them, not Kafka's default 24 hours (~10 markers a second per partition).
     */
    public static final Map<String, String> POSITION_CHANGELOG_CONFIG = Map.of(
            TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(1024 * 1024),
            TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()),
            TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofMinutes(5).toMillis()));

    private static long lingerMs(final KdConfig config) {
        final long linger = config.getLong(ConfigKey.TEACHER_LINGER_MS);
        if (linger < 1) {
            throw new IllegalArgumentException(ConfigKey.TEACHER_LINGER_MS.key() + " must be >= 1, got " + linger);
        }
        return linger;
    }
}
