package dev.kdstream.teacher.streams;

import static dev.kdstream.teacher.TinyEnsemble.featureJson;
import static dev.kdstream.teacher.TinyEnsemble.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.contracts.service.StreamsRunner;
import dev.kdstream.embedded.CommittedRecords;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import dev.kdstream.teacher.TeacherService;
import dev.kdstream.teacher.TinyEnsemble;

/**
 * A task whose reading again times out (say the broker restarts as the teacher starts), on a real
 * broker: Kafka Streams revives the task and the teacher goes on, instead of stopping.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ReplayRetryIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    private final Dataset data = TinyEnsemble.data();

    @BeforeAll
    static void useSharedBroker(final EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    @Test
    void aTimeoutReadingAgainIsRetriedAndTheTeacherAnnotatesEachRecordOnce() throws Exception {
        final String applicationId = "kd-teacher-replay-retry";
        final int records = 7;
        // a batch of 5 and a linger that never ends: 5 records annotated, 2 left in the buffer
        final KdConfig patient = config(Long.toString(TimeUnit.HOURS.toMillis(1)), dir.resolve("state"));
        try (ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
             TeacherService first = TeacherService.start(patient, TinyEnsemble.ensemble(), metrics, applicationId)) {
            final Properties p = patient.kafkaProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>(patient.topics().features(), 0, utf8("rec-" + i),
                            featureJson("rec-" + i, (long) i, data.features()[i], data.labels()[i], "train")));
                }
            }
            awaitCommittedInput(patient, applicationId, records);
        }

        final KdConfig prompt = config("50", dir.resolve("state-2"));
        final InputReplay real = new KafkaInputReplay(prompt.kafkaProperties(), TeacherTopology.REPLAY_TIMEOUT);
        final AtomicInteger reads = new AtomicInteger();
        final InputReplay failingFirst = (groupId, partition, from, before) -> {
            if (reads.incrementAndGet() == 1) {
                throw new TimeoutException("as when the broker does not answer in time");
            }
            return real.read(groupId, partition, from, before);
        };
        try (ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
             StreamsRunner second = StreamsRunner.start(TeacherTopology.SERVICE,
                     TeacherTopology.topology(prompt, TeacherTopology.refresher(prompt, TinyEnsemble.ensemble(), null,
                                     metrics.registry()), metrics.registry(),
                             TopicAdmin.topicId(prompt.kafkaProperties(), prompt.topics().features()), failingFirst),
                     TeacherTopology.streamsConfig(prompt, applicationId), metrics.registry())) {
            final List<ConsumerRecord<String, SoftTargetRecord>> annotated = CommittedRecords.atLeast(records,
                    prompt.kafkaProperties(), prompt.topics().softTargets(), new StringDeserializer(),
                    Topics.defaults().softTargets().valueSerde().deserializer(), DEADLINE, Duration.ofSeconds(2));
            assertThat(annotated).extracting(ConsumerRecord::key).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrder("rec-0", "rec-1", "rec-2", "rec-3", "rec-4", "rec-5", "rec-6");
            assertThat(reads.get()).as("failed once, then read again by the revived task").isGreaterThanOrEqualTo(2);
            assertThat(second.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        }
    }

    private KdConfig config(final String lingerMs, final Path stateDir) {
        return KdConfig.defaults().with(Map.ofEntries(
                Map.entry("bootstrap.servers", broker.bootstrapServers()),
                Map.entry("topic.features", "retry-features"),
                Map.entry("topic.soft-targets", "retry-soft-targets"),
                Map.entry("topic.predictions", "retry-predictions"),
                Map.entry("topic.checkpoints", "retry-checkpoints"),
                Map.entry("topic.features-dlq", "retry-features-dlq"),
                Map.entry("topic.control", "retry-control"),
                Map.entry("state.dir", stateDir.toString()),
                Map.entry("metrics.port", "0"),
                Map.entry("teacher.batch.size", "5"),
                Map.entry("teacher.linger.ms", lingerMs)));
    }

    private static void awaitCommittedInput(final KdConfig config, final String applicationId, final long records)
            throws Exception {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            long committed = 0;
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(config.topics().features()))
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
