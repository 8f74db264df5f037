package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;

/** On a real broker a live transaction, however long, is never taken for a hanging one. */
@ExtendWith(EmbeddedKafkaExtension.class)
class HangingTransactionSweeperIT {

    @Test
    void aLongOpenTransactionItsCoordinatorHoldsIsLeftAlone(final EmbeddedKafkaBroker broker) throws Exception {
        final String app = "sweeper-test-" + UUID.randomUUID();
        final String output = app + "-output";
        final Properties client = new Properties();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(output, 2, (short) 1))).all().get();
        }
        final Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, app + "-1");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer());
             HangingTransactionSweeper sweeper = HangingTransactionSweeper.unscheduled(client, app, Set.of(output),
                     registry)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(output, 0, "k", "v")).get();
            assertThat(sweeper.scan()).isEmpty();
            assertThat(sweeper.scan()).as("open at two scans, but its coordinator holds it").isEmpty();
            producer.commitTransaction();
            assertThat(sweeper.scan()).isEmpty();
        }
        assertThat(registry.get(MetricNames.HANGING_TRANSACTIONS_ABORTED).counter().count()).isZero();
    }
}
