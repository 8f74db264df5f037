package dev.kdstream.teacher.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.kafka.CommittedReader;

/**
 * {@link InputReplay} with a short-lived {@link CommittedReader} of its own: it asks the group's
 * committed offset and reads up to it (or up to the caller's bound). It never joins the group (it
 * is assigned the partition) and never commits, so the group's offsets stay Kafka Streams' own.
 */
final class KafkaInputReplay implements InputReplay {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaInputReplay.class);

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
                                                     final long from, final long before) {
        final Properties p = CommittedReader.config(clientProperties, groupId + "-replay-" + partition);
        // only to ask for the group's committed offset: what the stream thread read (committed
        // transactions only, as this reader reads)
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final long deadline = System.nanoTime() + timeout.toNanos();
        try (CommittedReader<byte[], byte[]> reader = new CommittedReader<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            reader.assign(List.of(partition));
            final OptionalLong committed = reader.committed(partition, left(deadline));
            if (committed.isEmpty()) {
                return List.of();
            }
            final long to = Math.min(committed.getAsLong(), before);
            if (to <= from) {
                return List.of();
            }
            final long first = reader.beginningOffsets(List.of(partition), left(deadline)).get(partition);
            if (first > from) {
                LOG.warn("{}: offsets {} to {} were deleted by the topic's retention before they were annotated",
                        partition, from, Math.min(first, to) - 1);
            }
            final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            if (!reader.read(Map.of(partition, Math.max(from, first)), Map.of(partition, to), deadline, records::add)) {
                throw timedOut();
            }
            return records;
        }
    }

    /** What is left of the time allowed; a call given none times out at once. */
    private Duration left(final long deadline) {
        final long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw timedOut();
        }
        return Duration.ofNanos(nanos);
    }

    private TimeoutException timedOut() {
        return new TimeoutException("reading the teacher's unannotated input again took longer than " + timeout
                + "; the broker is too slow or gone");
    }
}
