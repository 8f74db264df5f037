package dev.kdstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    @Test
    void aRealBrokerTakesTransactionalWritesAndServesReadCommitted() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            final Properties common = new Properties();
            common.put("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(common)) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            final Properties pp = new Properties();
            pp.putAll(common);
            pp.put("transactional.id", "test-tx");
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k", "committed"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k", "aborted"));
                producer.abortTransaction();
            }
            final Properties cp = new Properties();
            cp.putAll(common);
            cp.putAll(Map.of("group.id", "g", "auto.offset.reset", "earliest", "isolation.level", "read_committed"));
            try (KafkaConsumer<String, String> consumer =
                         new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("t"));
                final List<String> seen = new java.util.ArrayList<>();
                final long deadline = System.currentTimeMillis() + 20_000;
                while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
                    final ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    records.forEach(r -> seen.add(r.value()));
                }
                assertThat(seen).containsExactly("committed");
            }
        }
    }
}
