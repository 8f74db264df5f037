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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InputReplay} with a short-lived consumer of its own: it asks the group's committed offset
 * and reads up to it. It never joins the group (it is assigned the partition) and never commits,
 * so the group's offsets stay Kafka Streams' own.
 */
final class KafkaInputReplay implements InputReplay {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaInputReplay.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Properties clientProperties;
    private final Duration timeout;

    /**
     * @param clientProperties bootstrap servers and any security settings, as every kd-stream client gets them
     * @param timeout          for the whole read: the committed offset and the records up to it
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
        // what the stream thread read: committed transactions only
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            // the consumer asks for a stable offset (KIP-447): none an open transaction can still change
            final OffsetAndMetadata committed = consumer.committed(Set.of(partition), left(deadline))
                    .get(partition);
            if (committed == null || committed.offset() <= from) {
                return List.of();
            }
            final long to = committed.offset();
            final long first = consumer.beginningOffsets(List.of(partition), left(deadline)).get(partition);
            if (first > from) {
                LOG.warn("{}: offsets {} to {} were deleted by the topic's retention before they were annotated",
                        partition, from, Math.min(first, to) - 1);
            }
            consumer.seek(partition, Math.max(from, first));
            final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            // the position passes offsets without a record to read (transaction markers) by itself
            while (consumer.position(partition, left(deadline)) < to) {
                // short polls: one that gets only transaction markers returns nothing until its timeout
                final Duration poll = min(POLL, left(deadline));
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(poll).records(partition)) {
                    if (r.offset() < to) {
                        records.add(r);
                    }
                }
            }
            return records;
        }
    }

    private static Duration min(final Duration a, final Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** What is left of the time allowed; a call given none times out at once. */
    private Duration left(final long deadline) {
        final long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new TimeoutException("reading the teacher's unannotated input again took longer than " + timeout
                    + "; the broker is too slow or gone");
        }
        return Duration.ofNanos(nanos);
    }
}
