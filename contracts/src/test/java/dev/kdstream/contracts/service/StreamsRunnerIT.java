package dev.kdstream.contracts.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;

/**
 * The runner on a real broker: health follows the client's state, a broker error replaces the thread,
 * any other failure stops it, close unbinds.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class StreamsRunnerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void useSharedBroker(final EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    @Test
    void isHealthyWhileRunningAndClosesItsClientMetrics() throws Exception {
        final String topic = createTopic();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final StreamsRunner runner = StreamsRunner.start("test", topology(topic, false), config(), registry);
        try {
            awaitTrue("the client is running", () -> runner.state() == KafkaStreams.State.RUNNING);
            assertThat(runner.healthy()).isTrue();
            assertThat(kafkaMeters(registry)).as("the client metrics are bound").isNotEmpty();
            assertThat(runner.awaitStop(Duration.ZERO)).isFalse();
        } finally {
            runner.close();
        }
        assertThat(runner.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(runner.healthy()).isFalse();
        assertThat(runner.awaitStop(Duration.ZERO)).isTrue();
        assertThat(kafkaMeters(registry)).as("the client metrics are unbound on close").isEmpty();
        runner.close();
    }

    @Test
    void aFailedStreamThreadStopsTheClient() throws Exception {
        final String topic = createTopic();
        try (StreamsRunner runner = StreamsRunner.start("test", topology(topic, true), config(),
                new SimpleMeterRegistry());
             KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                     new StringSerializer())) {
            awaitTrue("the client is running", () -> runner.state() == KafkaStreams.State.RUNNING);
            producer.send(new ProducerRecord<>(topic, "k", "fails")).get();
            assertThat(runner.awaitStop(DEADLINE)).as("stopped by the failure").isTrue();
            assertThat(runner.state()).isEqualTo(KafkaStreams.State.ERROR);
            assertThat(runner.healthy()).isFalse();
        }
    }

    @Test
    void aBrokerErrorReplacesTheThreadAndTheRecordIsProcessedAgain() throws Exception {
        final String topic = createTopic();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> processed = new CopyOnWriteArrayList<>();
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> {
            if (attempts.incrementAndGet() == 1) {
                // what a commit the transaction coordinator refused looks like to the stream thread
                throw new InvalidTxnStateException("The producer attempted a transactional operation in an "
                        + "invalid state.");
            }
            processed.add(v);
        });
        try (StreamsRunner runner = StreamsRunner.start("test", builder.build(), config(), registry);
             KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                     new StringSerializer())) {
            awaitTrue("the client is running", () -> runner.state() == KafkaStreams.State.RUNNING);
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
            awaitTrue("the record is processed by the replacement thread", () -> processed.contains("v"));
            assertThat(attempts.get()).isEqualTo(2);
            assertThat(runner.awaitStop(Duration.ZERO)).as("still running").isFalse();
            assertThat(registry.get(MetricNames.STREAM_THREADS_REPLACED).counter().count()).isEqualTo(1.0);
        }
    }

    private static Topology topology(final String topic, final boolean fail) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> {
            if (fail) {
                throw new IllegalStateException("a bug in the topology");
            }
        });
        return builder.build();
    }

    private Properties config() {
        final Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "runner-test-" + UUID.randomUUID());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return p;
    }

    private static Properties producerConfig() {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return p;
    }

    private static String createTopic() throws Exception {
        final String topic = "runner-input-" + UUID.randomUUID();
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static List<Meter> kafkaMeters(final SimpleMeterRegistry registry) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("kafka.")).toList();
    }

    private static void awaitTrue(final String what, final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
