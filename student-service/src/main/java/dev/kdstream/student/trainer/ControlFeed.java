package dev.kdstream.student.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.CommittedReader;

/**
 * The trainer's reader of the {@code control} topic (one partition, read from its start, committed
 * records only): {@link #catchUp} at start, so that a restarted trainer trains under the settings in
 * force from its first record, then {@link #poll} between two polls of soft targets, so that a
 * change is applied at a record boundary. No consumer group: every trainer reads every record.
 */
final class ControlFeed implements AutoCloseable {

    /** One control record: its offset is its version; its value may be anything (the trainer checks it). */
    record Entry(long version, byte[] value) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ControlFeed.class);

    private final Consumer<String, byte[]> consumer;
    private final TopicPartition partition;

    ControlFeed(final Consumer<String, byte[]> consumer, final TopicPartition partition) {
        this.consumer = consumer;
        this.partition = partition;
    }

    /** Assigned to the control topic's partition 0 from its start. The topic must exist. */
    static ControlFeed open(final KdConfig config, final String trainerId, final Duration timeout) {
        final Properties p = CommittedReader.config(config.kafkaProperties(), "student-trainer-control-" + trainerId);
        // only the service's TopicAdmin creates it, compacted; a read must not create it with a broker's defaults
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            final String topic = config.topics().control();
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            final TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            return new ControlFeed(consumer, tp);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * Every record up to the end of the topic as it is now, or as far as {@code timeout} allows (a
     * warning then: the trainer starts under what it has read, and the rest arrives through {@link #poll}).
     */
    List<Entry> catchUp(final Duration timeout) {
        final List<Entry> entries = new ArrayList<>();
        final long deadline = System.nanoTime() + timeout.toNanos();
        try {
            final long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("at offset " + consumer.position(partition) + " of " + end);
                }
                entries.addAll(poll(Duration.ofMillis(200)));
            }
        } catch (TimeoutException e) {
            LOG.warn("could not read {} to its end within {} s ({}): starting under the settings read so far; the "
                    + "rest is applied as it arrives", partition, timeout.toSeconds(), e.getMessage());
        }
        return entries;
    }

    /** What arrived since the last call, oldest first; {@link Duration#ZERO} does not wait. */
    List<Entry> poll(final Duration timeout) {
        final List<Entry> entries = new ArrayList<>();
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            entries.add(new Entry(r.offset(), r.value()));
        }
        return entries;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
