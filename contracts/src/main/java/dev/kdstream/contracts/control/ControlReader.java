package dev.kdstream.contracts.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.CommittedReader;

/**
 * Reads the {@code control} topic (one partition) from its start, committed records only, without a
 * consumer group: every reader reads every record. What a plain consumer of it needs (the trainer,
 * {@code ./kd control}); the Kafka Streams services read it through a global store instead.
 *
 * <p>Not thread-safe.
 */
public final class ControlReader implements AutoCloseable {

    /** One record: its offset is its version; its value may be anything (the reader checks it). */
    public record Entry(long version, long timestamp, byte[] value) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;

    private ControlReader(final KafkaConsumer<String, byte[]> consumer, final TopicPartition partition) {
        this.consumer = consumer;
        this.partition = partition;
    }

    /**
     * Assigned to the control topic's partition from its start, or empty when the topic does not exist.
     *
     * @throws TimeoutException when the broker does not answer within {@code timeout}
     */
    public static Optional<ControlReader> open(final KdConfig config, final String clientId, final Duration timeout) {
        final Properties p = CommittedReader.config(config.kafkaProperties(), clientId);
        // only TopicAdmin creates it, compacted: a read must not create it with a broker's defaults
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            final String topic = config.topics().control();
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                consumer.close();
                return Optional.empty();
            }
            final TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            return Optional.of(new ControlReader(consumer, tp));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    public String topic() {
        return partition.topic();
    }

    /** The end of the topic was not reached in time; what was read went to the sink. */
    public static final class Incomplete extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Incomplete(final String message) {
            super(message);
        }
    }

    /**
     * Hands {@code sink} every record from where it is up to the end of the topic as it is now, in
     * order, each as soon as it is read (so a timeout loses none of those read).
     *
     * @throws Incomplete       when that takes longer than {@code timeout}
     * @throws TimeoutException when the broker does not answer at all
     */
    public void readToEnd(final Duration timeout, final Consumer<Entry> sink) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        while (consumer.position(partition, left(deadline)) < end) {
            if (System.nanoTime() > deadline) {
                throw new Incomplete("could not read " + partition.topic() + " to its end (offset " + end + ") within "
                        + timeout.toSeconds() + " s, at offset " + consumer.position(partition));
            }
            poll(Duration.ofMillis(200)).forEach(sink);
        }
    }

    private static Duration left(final long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** What arrived since the last call, oldest first; {@link Duration#ZERO} does not wait. */
    public List<Entry> poll(final Duration timeout) {
        final List<Entry> entries = new ArrayList<>();
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            entries.add(new Entry(r.offset(), r.timestamp(), r.value()));
        }
        return entries;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
