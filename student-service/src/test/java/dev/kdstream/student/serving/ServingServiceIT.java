package dev.kdstream.student.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.JsonSerde;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.records.Prediction;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.embedded.CommittedRecords;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.served.CurrentModel;
import dev.kdstream.model.served.TestStudents;

/** The server against a real broker: held records, a checkpoint, exactly-once output, late labels. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ServingServiceIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int WIDTH = 20;
    private static final int PER_PHASE = 25;

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void useSharedBroker(final EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    @Test
    void answersEveryRecordProducedBeforeAndAfterTheFirstCheckpoint() throws Exception {
        // topics of its own: the module's other tests share the broker
        final KdConfig config = KdConfig.defaults().with(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "state.dir", stateDir.toString(),
                ConfigKey.TOPIC_FEATURES.key(), "serving-it-features",
                ConfigKey.TOPIC_PREDICTIONS.key(), "serving-it-predictions",
                ConfigKey.TOPIC_CHECKPOINTS.key(), "serving-it-checkpoints",
                ConfigKey.TOPIC_FEATURES_DLQ.key(), "serving-it-features-dlq",
                ConfigKey.TOPIC_CONTROL.key(), "serving-it-control",
                ConfigKey.TOPIC_SHADOW_PREDICTIONS.key(), "serving-it-shadow-predictions",
                ConfigKey.TOPIC_SOFT_TARGETS.key(), "serving-it-soft-targets",
                ConfigKey.TOPIC_LABELS.key(), "serving-it-labels"));
        final TopicNames topics = config.topics();
        final StudentModel student = TestStudents.student(WIDTH, 2, List.of(8), 1);
        final double[][] raw = TestStudents.rawFeatures(2 * PER_PHASE, student.manifest().scaler(), 9);
        final Set<String> expected = new HashSet<>();

        final String applicationId = "kd-server-it-" + UUID.randomUUID();

        try (ServiceMetrics metrics = new ServiceMetrics("student");
             KafkaProducer<byte[], byte[]> features = new KafkaProducer<>(clientProps(config),
                     new ByteArraySerializer(), new ByteArraySerializer());
             KafkaProducer<String, StudentCheckpoint> checkpoints = new KafkaProducer<>(clientProps(config),
                     new StringSerializer(), JsonSerde.serdeFor(StudentCheckpoint.class).serializer())) {
            try (ServingService server = ServingService.start(config, metrics, applicationId)) {
                awaitTrue("the server is running", server::healthy);

                // phase 1: no model yet, so these are held
                produce(features, topics, raw, 0, PER_PHASE, expected);
                features.send(new ProducerRecord<>(topics.features(), "{broken".getBytes(StandardCharsets.UTF_8)));
                features.flush();
                awaitTrue("records held", () -> count(metrics, ServingMeters.HELD) >= PER_PHASE);
                assertThat(server.servingVersion()).isZero();

                checkpoints.send(new ProducerRecord<>(topics.checkpoints(), TestStudents.TRAINER,
                        TestStudents.checkpoint(1, student))).get();
                awaitTrue("checkpoint loaded", () -> server.servingVersion() == 1);

                // phase 2: answered straight away
                produce(features, topics, raw, PER_PHASE, 2 * PER_PHASE, expected);
                features.flush();

                final List<Prediction> predictions = readPredictions(config, topics, expected.size());
                assertThat(predictions).extracting(Prediction::id).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(predictions).allSatisfy(p -> assertThat(p.modelVersion()).isEqualTo(1));
                assertThat(server.healthy()).isTrue();
                assertThat(count(metrics, ServingMeters.REJECTED)).isEqualTo(1);
                assertThat(metrics.registry().scrape()).contains("kafka_stream");
            }

            // a restarted replica restores the global store from the topic and serves at once
            final double heldBefore = count(metrics, ServingMeters.HELD);
            try (ServingService server = ServingService.start(config, metrics, applicationId)) {
                awaitTrue("checkpoint restored", () -> server.servingVersion() == 1);
                assertThat(metrics.registry().get(MetricNames.MODEL_VERSION)
                        .tag(MetricNames.STAGE, CurrentModel.SERVING).gauge().value()).isEqualTo(1.0);
                produce(features, topics, raw, 0, 5, expected.size(), expected);
                features.flush();
                final List<Prediction> predictions = readPredictions(config, topics, expected.size());
                assertThat(predictions).extracting(Prediction::id).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(count(metrics, ServingMeters.HELD)).isEqualTo(heldBefore);
            }
        }
    }

    @Test
    void scoresWhatItServedAgainstLabelsThatComeAfterARestartOnAnotherStateDir() throws Exception {
        final KdConfig config = KdConfig.defaults().with(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "state.dir", stateDir.resolve("first").toString(),
                ConfigKey.TOPIC_FEATURES.key(), "serving-late-features",
                ConfigKey.TOPIC_PREDICTIONS.key(), "serving-late-predictions",
                ConfigKey.TOPIC_CHECKPOINTS.key(), "serving-late-checkpoints",
                ConfigKey.TOPIC_CONTROL.key(), "serving-late-control",
                ConfigKey.TOPIC_SHADOW_PREDICTIONS.key(), "serving-late-shadow-predictions",
                ConfigKey.TOPIC_LABELS.key(), "serving-late-labels"));
        final TopicNames topics = config.topics();
        final StudentModel student = TestStudents.student(WIDTH, 2, List.of(8), 1);
        final double[][] raw = TestStudents.rawFeatures(PER_PHASE, student.manifest().scaler(), 9);
        final String applicationId = "kd-server-late-it-" + UUID.randomUUID();

        final Map<String, Integer> served = new HashMap<>();
        try (ServiceMetrics metrics = new ServiceMetrics("student");
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clientProps(config),
                     new ByteArraySerializer(), new ByteArraySerializer());
             KafkaProducer<String, StudentCheckpoint> checkpoints = new KafkaProducer<>(clientProps(config),
                     new StringSerializer(), JsonSerde.serdeFor(StudentCheckpoint.class).serializer());
             ServingService server = ServingService.start(config, metrics, applicationId)) {
            checkpoints.send(new ProducerRecord<>(topics.checkpoints(), TestStudents.TRAINER,
                    TestStudents.checkpoint(1, student))).get();
            awaitTrue("checkpoint loaded", () -> server.servingVersion() == 1);
            for (int i = 0; i < PER_PHASE; i++) {
                final String id = "late-" + i;
                producer.send(new ProducerRecord<>(topics.features(), id.getBytes(StandardCharsets.UTF_8),
                        TestStudents.featureJson(id, System.currentTimeMillis(), raw[i], null, "train")));
            }
            producer.flush();
            readPredictions(config, topics, PER_PHASE).forEach(p -> served.put(p.id(), p.predictedClass()));
        }
        assertThat(served).hasSize(PER_PHASE);

        // another replica, with none of the first one's state: its answers come back from the changelog
        final KdConfig moved = config.with(Map.of("state.dir", stateDir.resolve("second").toString()));
        try (ServiceMetrics metrics = new ServiceMetrics("student");
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clientProps(config),
                     new ByteArraySerializer(), new ByteArraySerializer());
             ServingService server = ServingService.start(moved, metrics, applicationId)) {
            int right = 0;
            for (int i = 0; i < PER_PHASE; i++) {
                final String id = "late-" + i;
                // a third of them right, the rest wrong
                final int label = i % 3 == 0 ? served.get(id) : 1 - served.get(id);
                right += i % 3 == 0 ? 1 : 0;
                producer.send(new ProducerRecord<>(topics.labels(), id.getBytes(StandardCharsets.UTF_8),
                        ("{\"id\":\"" + id + "\",\"label\":" + label + "}").getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            awaitTrue("every label scored", () -> late(metrics, ServingMeters.CORRECT) + late(metrics,
                    ServingMeters.WRONG) >= PER_PHASE);
            assertThat(late(metrics, ServingMeters.CORRECT)).isEqualTo(right);
            assertThat(late(metrics, ServingMeters.WRONG)).isEqualTo(PER_PHASE - right);
            assertThat(server.healthy()).isTrue();
        }
    }

    private static double late(final ServiceMetrics metrics, final String outcome) {
        final var counter = metrics.registry().find(MetricNames.STUDENT_PREDICTIONS_LATE)
                .tag(MetricNames.STUDENT, TestStudents.TRAINER).tag(MetricNames.ROLE, ServingMeters.SERVED)
                .tag(MetricNames.OUTCOME, outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void produce(final KafkaProducer<byte[], byte[]> producer, final TopicNames topics,
                                final double[][] raw, final int from, final int to, final Set<String> ids) {
        produce(producer, topics, raw, from, to, 0, ids);
    }

    /** Records {@code from..to-1} of {@code raw}, with ids numbered from {@code from + idOffset}. */
    private static void produce(final KafkaProducer<byte[], byte[]> producer, final TopicNames topics,
                                final double[][] raw, final int from, final int to, final int idOffset,
                                final Set<String> ids) {
        for (int i = from; i < to; i++) {
            final String id = "rec-" + (i + idOffset);
            ids.add(id);
            producer.send(new ProducerRecord<>(topics.features(), id.getBytes(StandardCharsets.UTF_8),
                    TestStudents.featureJson(id, System.currentTimeMillis(), raw[i], i % 2, "train")));
        }
    }

    private static List<Prediction> readPredictions(final KdConfig config, final TopicNames topics,
                                                    final int wanted) {
        final List<ConsumerRecord<String, Prediction>> read = CommittedRecords.atLeast(wanted, clientProps(config),
                topics.predictions(), new StringDeserializer(), JsonSerde.serdeFor(Prediction.class).deserializer(),
                DEADLINE, Duration.ofSeconds(1));
        read.forEach(r -> assertThat(r.key()).isEqualTo(r.value().id()));
        return read.stream().map(ConsumerRecord::value).toList();
    }

    private static Properties clientProps(final KdConfig config) {
        return config.kafkaProperties();
    }

    private static double count(final ServiceMetrics metrics, final String stage) {
        final var counter = metrics.registry().find(MetricNames.RECORDS).tag(MetricNames.STAGE, stage).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void awaitTrue(final String what, final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
