package dev.kdstream.bench.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How often each key occurs in a topic, as a read_committed consumer sees it: what was committed,
 * nothing aborted, and every duplicate counted. Reads incrementally, so it can follow a topic.
 */
final class TopicTally implements AutoCloseable {

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Integer> counts = new HashMap<>();
    private long records;

    TopicTally(final Properties client, final String topic, final int partitions) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(readCommitted(client), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        final List<TopicPartition> all = new java.util.ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    static Properties readCommitted(final Properties client) {
        final Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return p;
    }

    /** Reads what is there now (one poll). */
    void poll(final Duration timeout) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            final String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            counts.merge(key, 1, Integer::sum);
            records++;
        }
    }

    int count(final String key) {
        return counts.getOrDefault(key, 0);
    }

    Map<String, Integer> counts() {
        return counts;
    }

    long records() {
        return records;
    }

    String topic() {
        return topic;
    }

    /** The topic's partitions as the broker sees them (for a check that it has the expected count). */
    List<PartitionInfo> partitions() {
        return consumer.partitionsFor(topic);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
