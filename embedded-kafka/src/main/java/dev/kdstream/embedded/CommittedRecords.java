package dev.kdstream.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a downstream reader sees on a topic, for tests against a real broker: every partition from
 * the beginning, read_committed (aborted transactions never show), until a condition holds or a
 * deadline passes, then a little longer, so that a record which should NOT be there (a duplicate)
 * has the time to show up too.
 */
public final class CommittedRecords {

    private static final Duration POLL = Duration.ofMillis(200);

    private CommittedRecords() {
    }

    /**
     * @param clientProperties bootstrap servers and any client settings; not modified
     * @param done             when what was read is enough
     * @param timeout          give up waiting for {@code done} after this long
     * @param grace            then read this much longer
     * @return what was read, in the order it arrived
     */
    public static <K, V> List<ConsumerRecord<K, V>> read(final Properties clientProperties, final String topic,
                                                         final Deserializer<K> keys, final Deserializer<V> values,
                                                         final Predicate<List<ConsumerRecord<K, V>>> done,
                                                         final Duration timeout, final Duration grace) {
        final Properties p = new Properties();
        p.putAll(clientProperties);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<ConsumerRecord<K, V>> read = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(p, keys, values)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(read) && System.nanoTime() < deadline) {
                consumer.poll(POLL).forEach(read::add);
            }
            final long graceEnd = System.nanoTime() + grace.toNanos();
            while (System.nanoTime() < graceEnd) {
                consumer.poll(POLL).forEach(read::add);
            }
        }
        return read;
    }

    /** {@link #read} until {@code count} records arrived. */
    public static <K, V> List<ConsumerRecord<K, V>> atLeast(final int count, final Properties clientProperties,
                                                            final String topic, final Deserializer<K> keys,
                                                            final Deserializer<V> values, final Duration timeout,
                                                            final Duration grace) {
        return read(clientProperties, topic, keys, values, r -> r.size() >= count, timeout, grace);
    }
}
