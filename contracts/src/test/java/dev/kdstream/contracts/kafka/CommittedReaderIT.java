package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;

/** The group-less reader on a real broker: committed records only, whole topic, deadline. */
@ExtendWith(EmbeddedKafkaExtension.class)
class CommittedReaderIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void useSharedBroker(final EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    @Test
    void readsTheCommittedRecordsOfEveryPartitionUpToTheEndOffsets() throws Exception {
        final String topic = "reader-" + UUID.randomUUID();
        try (Admin admin = Admin.create(client())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        final Properties tx = client();
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reader-test-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(tx, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "a", "committed-0"));
            producer.send(new ProducerRecord<>(topic, 1, "b", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "a", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 1, "b", "committed-2"));
            producer.commitTransaction();
        }

        try (CommittedReader<String, String> reader = new CommittedReader<>(
                CommittedReader.config(client(), "reader-test"), new StringDeserializer(), new StringDeserializer())) {
            final List<TopicPartition> partitions = reader.assignAll(topic, TIMEOUT);
            assertThat(partitions).containsExactly(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            final Map<TopicPartition, Long> from = reader.beginningOffsets(partitions, TIMEOUT);
            final Map<TopicPartition, Long> to = reader.endOffsets(partitions, TIMEOUT);
            final List<String> values = new ArrayList<>();
            final boolean complete = reader.read(from, to, System.nanoTime() + TIMEOUT.toNanos(),
                    r -> values.add(r.value()));
            assertThat(complete).isTrue();
            assertThat(values).containsExactlyInAnyOrder("committed-0", "committed-1", "committed-2");

            final List<ConsumerRecord<String, String>> none = new ArrayList<>();
            assertThat(reader.read(from, to, System.nanoTime(), none::add)).as("the deadline has passed").isFalse();

            assertThat(reader.assignAll("no-such-topic-" + UUID.randomUUID(), TIMEOUT)).isEmpty();
        }
    }

    private static Properties client() {
        final Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return p;
    }
}
