package dev.kdstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaBrokerIT {

    @Test
    void aRealBrokerTakesTransactionalWritesAndServesReadCommitted(final EmbeddedKafkaBroker broker) throws Exception {
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
            producer.send(new ProducerRecord<>("t", "k", "one"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("t", "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("t", "k", "two"));
            producer.commitTransaction();
        }
        // what a downstream reader sees: past the aborted transaction, without it
        final List<String> seen = CommittedRecords.atLeast(2, common, "t", new StringDeserializer(),
                new StringDeserializer(), Duration.ofSeconds(20), Duration.ofSeconds(1))
                .stream().map(ConsumerRecord::value).toList();
        assertThat(seen).containsExactly("one", "two");
    }
}
