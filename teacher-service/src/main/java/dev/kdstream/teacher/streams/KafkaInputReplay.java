package dev.kdstream.teacher.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@link InputReplay} with a short-lived consumer of its own: it asks the group's committed offset
 * and reads up to it. It never joins the group (it is assigned the partition) and never commits,
 * so the group's offsets stay Kafka Streams' own.
 */
final class KafkaInputReplay implements InputReplay {

    private final Properties clientProperties;
    private final Duration timeout;

    /**
     * @param clientProperties bootstrap servers and any security settings, as every kd-stream client gets them
     * @param timeout          for the committed offset and for reading up to it
     */
    KafkaInputReplay(final Properties clientProperties, final Duration timeout) {
        this.clientProperties = clientProperties;
        this.timeout = timeout;
    }

    @Override
    public List<ConsumerRecord<byte[], byte[]>> read(final String groupId, final TopicPartition partition,
                                                     final long from) {
        final Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-replay-" + partition);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // what the stream thread read, and (KIP-447) a committed offset no open transaction can still change
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            final OffsetAndMetadata committed = consumer.committed(Set.of(partition), timeout).get(partition);
            if (committed == null || committed.offset() <= from) {
                return List.of();
            }
            final long to = committed.offset();
            consumer.seek(partition, from);
            final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            final long deadline = System.nanoTime() + timeout.toNanos();
            // the position passes offsets without a record to read (transaction markers) by itself
            while (consumer.position(partition, timeout) < to) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("read " + records.size() + " records of " + partition + " from offset "
                            + from + " towards the committed " + to + " in " + timeout + "; the broker is too slow or gone");
                }
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100)).records(partition)) {
                    if (r.offset() < to) {
                        records.add(r);
                    }
                }
            }
            return records;
        }
    }
}
