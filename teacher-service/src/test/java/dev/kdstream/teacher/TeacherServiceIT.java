package dev.kdstream.teacher;

import static dev.kdstream.teacher.TinyEnsemble.featureJson;
import static dev.kdstream.teacher.TinyEnsemble.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.kafka.DeadLetters;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.records.InvalidRecordException.Reason;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.embedded.CommittedRecords;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import dev.kdstream.model.file.EnsembleFile;
import dev.kdstream.teacher.streams.TeacherTopology;

/** The teacher service on a real (embedded KRaft) broker, with exactly-once processing. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TeacherServiceIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** After the expected count arrived, keep reading this long to catch duplicates. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    private final Dataset data = TinyEnsemble.data();

    @BeforeAll
    static void useSharedBroker(final EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    @Test
    void annotatesEachValidRecordOnceAndDeadLettersEachInvalidOne() throws Exception {
        final Path ensembleFile = dir.resolve("ensemble.kdm");
        EnsembleFile.save(TinyEnsemble.ensemble(), ensembleFile);
        final KdConfig config = config("a", "10", "50");
        final TopicNames topics = config.topics();

        try (ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
             TeacherService service = TeacherService.start(config, ensembleFile, metrics)) {
            assertThat(service.createdTopics()).contains(topics.features(), topics.softTargets(), topics.featuresDlq());
            final int valid = 45;
            final List<byte[]> invalid = List.of(
                    utf8("{\"id\":\"bad-0\",\"features\":[1,2"),
                    utf8("{\"id\":\"bad-1\",\"features\":[1,2,3]}"),
                    utf8("{\"id\":\"bad-2\",\"features\":[1,2,3,4,NaN,6]}"),
                    utf8("{\"id\":\"bad-3\",\"features\":[1,2,3,4,5,6],\"label\":9}"),
                    utf8("{\"id\":\"bad-4\",\"features\":[1,2,3,4,5,6],\"split\":\"validation\"}"),
                    utf8("{\"id\":\"bad-5\",\"features\":[1,2,3,4,5,6],\"pad\":\"" + "x".repeat(4096) + "\"}"));
            final Set<String> ids = new HashSet<>();
            try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
                for (int i = 0; i < valid; i++) {
                    final String id = "rec-" + i;
                    ids.add(id);
                    producer.send(new ProducerRecord<>(topics.features(), utf8(id),
                            featureJson(id, 1_000L + i, data.features()[i], i % 3 == 0 ? null : data.labels()[i],
                                    i % 5 == 0 ? "holdout" : "train")));
                    if (i % 8 == 0 && i / 8 < invalid.size()) {
                        producer.send(new ProducerRecord<>(topics.features(), utf8("bad-" + i / 8), invalid.get(i / 8)));
                    }
                }
                producer.flush();
            }

            final List<ConsumerRecord<String, SoftTargetRecord>> annotated = readCommitted(config, topics.softTargets(),
                    new StringDeserializer(), Topics.defaults().softTargets().valueSerde().deserializer(), valid);
            assertThat(annotated).hasSize(valid);
            assertThat(annotated).extracting(ConsumerRecord::key).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(annotated).allSatisfy(r -> {
                assertThat(r.value().id()).isEqualTo(r.key());
                assertThat(r.value().ensembleVersion()).isEqualTo(service.manifest().versionId());
                assertThat(r.value().softTargets()).hasSize(TinyEnsemble.CLASSES);
            });

            final List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(config, topics.featuresDlq(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer(), invalid.size());
            assertThat(dead).hasSize(invalid.size());
            assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                    .containsExactlyInAnyOrder(Reason.MALFORMED_JSON.tag(), Reason.WRONG_FEATURE_COUNT.tag(),
                            Reason.NON_FINITE.tag(), Reason.LABEL_OUT_OF_RANGE.tag(), Reason.BAD_SPLIT.tag(),
                            Reason.OVERSIZE.tag());
            assertThat(dead).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(invalid);

            assertThat(service.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
            final HttpClient http = HttpClient.newHttpClient();
            final HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + service.metricsPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            final String scrape = http.send(HttpRequest.newBuilder(URI.create(service.metricsUrl())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape).contains("kd_records_total{service=\"teacher\",stage=\"annotated\"} " + valid + ".0")
                    .contains("kd_dead_letters_total{reason=\"oversize\",service=\"teacher\"} 1.0")
                    .contains("kd_teacher_batch_latency_seconds")
                    .contains("kafka_stream_thread_");
        }
    }

    /**
     * A record over the dead-letter limit uncompressed (a 5 MB value passes the broker compressed)
     * is dead-lettered cut to fit, saying so in its headers, and the teacher stays up: the producer
     * would refuse it whole, and under exactly-once that fails the transaction at every restart.
     */
    @Test
    void anInputTooLargeForTheDeadLetterTopicIsDeadLetteredTruncated() throws Exception {
        final KdConfig config = config("huge", "10", "50");
        final TopicNames topics = config.topics();
        final byte[] huge = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        final byte[] start = utf8("{\"id\":\"huge\",\"pad\":\"");
        System.arraycopy(start, 0, huge, 0, start.length);
        try (ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
             TeacherService service = TeacherService.start(config, TinyEnsemble.ensemble(), metrics, "kd-teacher-huge")) {
            final Properties p = config.kafkaProperties();
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topics.features(), 0, utf8("huge"), huge)).get();
                producer.send(new ProducerRecord<>(topics.features(), 0, utf8("after"),
                        featureJson("after", 1L, data.features()[0], data.labels()[0], "train"))).get();
            }
            final List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(config, topics.featuresDlq(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer(), 1);
            assertThat(dead).hasSize(1);
            final ConsumerRecord<byte[], byte[]> letter = dead.get(0);
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo(Reason.OVERSIZE.tag());
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED)).isEqualTo("value");
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGINAL_BYTES))
                    .isEqualTo(Integer.toString(huge.length));
            assertThat(letter.value().length).isPositive().isLessThan(TopicAdmin.DLQ_MAX_BYTES);
            assertThat(letter.value()).isEqualTo(java.util.Arrays.copyOf(huge, letter.value().length));
            assertThat(readCommitted(config, topics.softTargets(), new StringDeserializer(),
                    Topics.defaults().softTargets().valueSerde().deserializer(), 1)).extracting(ConsumerRecord::key)
                    .containsExactly("after");
            assertThat(service.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        }
    }

    /**
     * Records buffered but not annotated when a teacher stops are annotated by the next one: their
     * input offsets were committed with them, so Kafka Streams never reads them again; the next
     * teacher finds its position in the changelog and reads them again from the input itself.
     */
    @Test
    void aRestartedTeacherAnnotatesWhatItsPredecessorLeftInTheBuffer() throws Exception {
        final String applicationId = "kd-teacher-restart";
        final int records = 7;
        // a batch of 5 and a linger that never ends: 5 records annotated, 2 left in the buffer
        final KdConfig patient = config("b", "5", Long.toString(TimeUnit.HOURS.toMillis(1)));
        final TopicNames topics = patient.topics();
        try (ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
             TeacherService first = TeacherService.start(patient, TinyEnsemble.ensemble(), metrics, applicationId)) {
            try (KafkaProducer<byte[], byte[]> producer = producer(patient)) {
                for (int i = 0; i < records; i++) {
                    // one partition, so that its task fills a batch
                    producer.send(new ProducerRecord<>(topics.features(), 0, utf8("rec-" + i),
                            featureJson("rec-" + i, (long) i, data.features()[i], data.labels()[i], "train")));
                }
            }
            awaitCommittedInput(patient, applicationId, topics.features(), records);
            first.close();
        }
        assertThat(readCommitted(patient, topics.softTargets(), new StringDeserializer(),
                Topics.defaults().softTargets().valueSerde().deserializer(), 5)).extracting(ConsumerRecord::key)
                .as("the first teacher annotated one batch").containsExactlyInAnyOrder("rec-0", "rec-1", "rec-2",
                        "rec-3", "rec-4");

        // and 3 more the first teacher never read: what is read again must stop at the committed offset
        try (KafkaProducer<byte[], byte[]> producer = producer(patient)) {
            for (int i = records; i < records + 3; i++) {
                producer.send(new ProducerRecord<>(topics.features(), 0, utf8("rec-" + i),
                        featureJson("rec-" + i, (long) i, data.features()[i], data.labels()[i], "train")));
            }
        }

        // a fresh state directory: the position can only come back from its changelog
        final KdConfig prompt = patient.with(Map.of("teacher.linger.ms", "50",
                "state.dir", dir.resolve("state-2").toString()));
        try (ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
             TeacherService second = TeacherService.start(prompt, TinyEnsemble.ensemble(), metrics, applicationId)) {
            final List<ConsumerRecord<String, SoftTargetRecord>> annotated = readCommitted(prompt,
                    topics.softTargets(), new StringDeserializer(),
                    Topics.defaults().softTargets().valueSerde().deserializer(), records + 3);
            assertThat(annotated).extracting(ConsumerRecord::key).doesNotHaveDuplicates().hasSize(records + 3)
                    .containsExactlyInAnyOrder("rec-0", "rec-1", "rec-2", "rec-3", "rec-4", "rec-5", "rec-6",
                            "rec-7", "rec-8", "rec-9");
        }
        try (Admin admin = Admin.create(patient.kafkaProperties())) {
            final ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC,
                    applicationId + "-" + TeacherTopology.POSITION_STORE + "-changelog");
            final Config topic = admin.describeConfigs(List.of(changelog)).all().get(30, TimeUnit.SECONDS)
                    .get(changelog);
            assertThat(topic.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(topic.get(TopicConfig.SEGMENT_BYTES_CONFIG).value())
                    .as("small segments: compaction keeps the positions' topic small")
                    .isEqualTo(Integer.toString(1024 * 1024));
            assertThat(topic.get(TopicConfig.DELETE_RETENTION_MS_CONFIG).value())
                    .as("a transaction marker per commit, kept minutes, not Kafka's 24 hours")
                    .isEqualTo(Long.toString(Duration.ofMinutes(5).toMillis()));
        }
    }

    /**
     * {@code features} deleted and re-created between two runs: its offsets start again at 0, while
     * the position's changelog still holds the old topic's position. The new records are annotated,
     * not skipped as "before the position"; the teacher says so and counts it.
     */
    @Test
    void aFeaturesTopicDeletedAndRecreatedIsAnnotatedFromItsStart() throws Exception {
        final String applicationId = "kd-teacher-recreated";
        final KdConfig config = config("c", "5", "50");
        final TopicNames topics = config.topics();
        final int before = 8;
        try (ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
             TeacherService first = TeacherService.start(config, TinyEnsemble.ensemble(), metrics, applicationId)) {
            produce(config, 0, before, "old-");
            assertThat(readCommitted(config, topics.softTargets(), new StringDeserializer(),
                    Topics.defaults().softTargets().valueSerde().deserializer(), before)).hasSize(before);
        }

        try (Admin admin = Admin.create(config.kafkaProperties())) {
            admin.deleteTopics(List.of(topics.features())).all().get(30, TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                try {
                    admin.createTopics(List.of(new NewTopic(topics.features(), 2, (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException e) {
                    // the deletion finishes asynchronously
                    if (!(e.getCause() instanceof TopicExistsException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
        }
        final int after = 3;
        produce(config, 0, after, "new-");

        try (ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
             TeacherService second = TeacherService.start(config, TinyEnsemble.ensemble(), metrics, applicationId)) {
            final List<ConsumerRecord<String, SoftTargetRecord>> annotated = readCommitted(config,
                    topics.softTargets(), new StringDeserializer(),
                    Topics.defaults().softTargets().valueSerde().deserializer(), before + after);
            assertThat(annotated).extracting(ConsumerRecord::key).doesNotHaveDuplicates().hasSize(before + after)
                    .contains("new-0", "new-1", "new-2");
            assertThat(metrics.registry().get(MetricNames.TEACHER_INPUT_RECREATED).counter().count())
                    .as("the one task with a position").isEqualTo(1.0);
        }
    }

    private void produce(final KdConfig config, final int partition, final int count, final String prefix) {
        try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
            for (int i = 0; i < count; i++) {
                final String id = prefix + i;
                producer.send(new ProducerRecord<>(config.topics().features(), partition, utf8(id),
                        featureJson(id, (long) i, data.features()[i], data.labels()[i], "train")));
            }
        }
    }

    /** Topics of their own per test, so the two tests share one broker without sharing data. */
    private KdConfig config(final String prefix, final String batchSize, final String lingerMs) {
        return KdConfig.defaults().with(Map.ofEntries(
                Map.entry("bootstrap.servers", broker.bootstrapServers()),
                Map.entry("topic.features", prefix + "-features"),
                Map.entry("topic.soft-targets", prefix + "-soft-targets"),
                Map.entry("topic.predictions", prefix + "-predictions"),
                Map.entry("topic.checkpoints", prefix + "-checkpoints"),
                Map.entry("topic.features-dlq", prefix + "-features-dlq"),
                Map.entry("topic.control", prefix + "-control"),
                Map.entry("state.dir", dir.resolve("state").toString()),
                Map.entry("metrics.port", "0"),
                Map.entry("max.record.bytes", "2048"),
                Map.entry("teacher.batch.size", batchSize),
                Map.entry("teacher.linger.ms", lingerMs)));
    }

    private static KafkaProducer<byte[], byte[]> producer(final KdConfig config) {
        final Properties p = config.kafkaProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Everything committed on {@code topic}: reads until {@code expected} records arrived (or the
     * deadline passed), then for a quiet period more, so that a duplicate would show.
     */
    private static <K, V> List<ConsumerRecord<K, V>> readCommitted(final KdConfig config, final String topic,
                                                                 final Deserializer<K> keys,
                                                                 final Deserializer<V> values, final int expected) {
        return CommittedRecords.atLeast(expected, config.kafkaProperties(), topic, keys, values, DEADLINE, QUIET);
    }

    private static void awaitCommittedInput(final KdConfig config, final String applicationId, final String topic,
                                            final long records) throws Exception {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            long committed = 0;
            while (System.nanoTime() < deadline) {
                final ListConsumerGroupOffsetsResult result = admin.listConsumerGroupOffsets(applicationId);
                committed = result.partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(topic))
                        .map(Map.Entry::getValue)
                        .filter(Objects::nonNull)
                        .mapToLong(OffsetAndMetadata::offset)
                        .sum();
                if (committed >= records) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the teacher committed " + committed + " of " + records + " input records");
        }
    }
}
