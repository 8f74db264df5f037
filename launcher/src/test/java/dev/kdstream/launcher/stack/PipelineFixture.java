package dev.kdstream.launcher.stack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.SyntheticDataset;
import dev.kdstream.contracts.data.SyntheticSpec;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.embedded.CommittedRecords;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.student.serving.ServingTopology;
import dev.kdstream.teacher.streams.TeacherTopology;
import dev.kdstream.teacher.training.EnsembleTrainer;

/** A tiny ensemble, a fast-checkpointing configuration and raw Kafka I/O, for pipeline tests. */
public final class PipelineFixture {

    static final int FEATURES = 6;

    private PipelineFixture() {
    }

    public static Dataset data() {
        return SyntheticDataset.generate(new SyntheticSpec(600, FEATURES, 4, 1, 0, 2, 1, 1.5, 0.0, 5));
    }

    public static TeacherEnsemble ensemble(final Dataset train) {
        final Hyperparameters hp = Hyperparameters.defaults()
                .withTeacher(new Hyperparameters.Teacher(2, List.of(16, 8), 0.3, 1e-2, 3, 32, 2));
        return EnsembleTrainer.train(train, hp, 1, EnsembleTrainer.Progress.NONE);
    }

    /**
     * Checkpoints often, small batches: a test stream of hundreds of records exercises everything.
     * Topics and the trainer id start with {@code prefix}: test classes share one broker
     * (EmbeddedKafkaExtension), each with data of its own.
     */
    public static KdConfig config(final String bootstrap, final Path stateDir, final String prefix) {
        return KdConfig.load(null, Map.of(), Map.ofEntries(
                Map.entry(ConfigKey.BOOTSTRAP_SERVERS.key(), bootstrap),
                Map.entry(ConfigKey.STATE_DIR.key(), stateDir.toString()),
                Map.entry(ConfigKey.TOPIC_FEATURES.key(), prefix + "-features"),
                Map.entry(ConfigKey.TOPIC_SOFT_TARGETS.key(), prefix + "-soft-targets"),
                Map.entry(ConfigKey.TOPIC_PREDICTIONS.key(), prefix + "-predictions"),
                Map.entry(ConfigKey.TOPIC_CHECKPOINTS.key(), prefix + "-checkpoints"),
                Map.entry(ConfigKey.TOPIC_FEATURES_DLQ.key(), prefix + "-features-dlq"),
                Map.entry(ConfigKey.TOPIC_CONTROL.key(), prefix + "-control"),
                Map.entry(ConfigKey.TOPIC_SHADOW_PREDICTIONS.key(), prefix + "-shadow-predictions"),
                Map.entry(ConfigKey.TOPIC_LABELS.key(), prefix + "-labels"),
                Map.entry(ConfigKey.TOPIC_LABELS_DLQ.key(), prefix + "-labels-dlq"),
                Map.entry(ConfigKey.TRAINER_ID.key(), prefix + "-student"),
                Map.entry(ConfigKey.CHECKPOINT_EVERY_RECORDS.key(), "100"),
                Map.entry(ConfigKey.CHECKPOINT_EVERY_SECONDS.key(), "1"),
                Map.entry(ConfigKey.STUDENT_BATCH_SIZE.key(), "16"),
                Map.entry(ConfigKey.TEACHER_BATCH_SIZE.key(), "64"),
                Map.entry(ConfigKey.METRICS_WINDOW.key(), "100"),
                Map.entry(ConfigKey.TOPIC_PARTITIONS.key(), "2"),
                Map.entry(KdConfig.KAFKA_PREFIX + "commit.interval.ms", "100")));
    }

    /**
     * {@link Pipeline#startOnFreePorts} on a broker an earlier pipeline may have used. The pipeline's
     * application ids are fixed ({@value TeacherTopology#APPLICATION_ID}, {@value ServingTopology#APPLICATION_ID}),
     * so first their consumer groups and internal topics go, as kafka-streams-application-reset
     * does: the teacher would otherwise restore its position in another test's features topic from
     * the old changelog and skip that many records of this one.
     */
    public static Pipeline start(final KdConfig config, final TeacherEnsemble ensemble) {
        forgetApplications(config, List.of(TeacherTopology.APPLICATION_ID, ServingTopology.APPLICATION_ID));
        return Pipeline.startOnFreePorts(config, ensemble);
    }

    private static void forgetApplications(final KdConfig config, final List<String> applicationIds) {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            final Set<String> internalTopics = admin.listTopics().names().get().stream()
                    .filter(t -> applicationIds.stream().anyMatch(id -> t.startsWith(id + "-")))
                    .collect(Collectors.toSet());
            admin.deleteTopics(internalTopics).all().get();
            // only the groups there are: the broker logs an error for each group it cannot find
            final Set<String> groups = admin.listGroups().all().get().stream().map(GroupListing::groupId)
                    .filter(applicationIds::contains)
                    .collect(Collectors.toSet());
            admin.deleteConsumerGroups(groups).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted resetting " + applicationIds, e);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot reset " + applicationIds + " on the broker: " + e.getCause(), e);
        }
    }

    /** Valid feature records: ids v0.., every 5th holdout, every 7th unlabelled. */
    public static List<String> produceValid(final KdConfig config, final Dataset data, final int from,
                                            final int count) {
        final List<String> ids = new ArrayList<>();
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
            for (int i = from; i < from + count; i++) {
                final int row = i % data.size();
                final String id = "v" + i;
                final Integer label = i % 7 == 0 ? null : data.labels()[row];
                final String split = i % 5 == 0 ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN;
                final byte[] value = json(new FeatureRecord(id, System.currentTimeMillis(), data.features()[row],
                        label, split));
                sent.add(producer.send(new ProducerRecord<>(config.topics().features(), bytes(id), value)));
                ids.add(id);
            }
            producer.flush();
        }
        awaitAcks(sent);
        return ids;
    }

    /** One record per kind of bad input; the map is id -> expected reason tag. */
    public static Map<String, String> produceInvalid(final KdConfig config) {
        final Map<String, String> bad = Map.of(
                "{\"id\":\"bad-json\",\"features\":[1,2", "malformed_json",
                "{\"id\":\"bad-count\",\"features\":[1,2,3]}", "wrong_feature_count",
                "{\"id\":\"bad-nan\",\"features\":[1,2,3,4,5,NaN]}", "non_finite",
                "{\"id\":\"bad-label\",\"features\":[1,2,3,4,5,6],\"label\":7}", "label_out_of_range",
                "{\"id\":\"bad-split\",\"features\":[1,2,3,4,5,6],\"split\":\"test\"}", "bad_split");
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
            for (final String value : bad.keySet()) {
                sent.add(producer.send(new ProducerRecord<>(config.topics().features(), bytes("bad"), bytes(value))));
            }
            producer.flush();
        }
        awaitAcks(sent);
        return bad;
    }

    /**
     * Reads a topic (read_committed) from the beginning until {@code done} holds for what was read,
     * or the timeout passes; returns what was read.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(final KdConfig config, final String topic,
                                                          final Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                          final Duration timeout) {
        return CommittedRecords.read(config.kafkaProperties(), topic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), done, timeout, Duration.ofSeconds(2));
    }

    public static String key(final ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    static String header(final ConsumerRecord<byte[], byte[]> r, final String name) {
        final var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A send that failed fails the test here, rather than as a missing record minutes later. */
    private static void awaitAcks(final List<Future<RecordMetadata>> sent) {
        for (final Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for a send", e);
            } catch (ExecutionException e) {
                throw new AssertionError("a test record was not written: " + e.getCause(), e.getCause());
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(final KdConfig config) {
        final Properties p = config.kafkaProperties();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] json(final Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
