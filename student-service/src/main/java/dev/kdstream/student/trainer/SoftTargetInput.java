package dev.kdstream.student.trainer;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.CommittedReader;

/**
 * The trainer's view of {@code soft-targets}: every partition assigned, read from a checkpoint's
 * offsets, committed transactions only. The position lives in the checkpoints, not in a consumer
 * group (there is one trainer per trainer id), so this consumer never joins one.
 *
 * <p>Used by the trainer thread only, except {@link #wakeup()}.
 */
final class SoftTargetInput implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Consumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    /** The offset after the last record handed out, per partition. */
    private final Map<TopicPartition, Long> next;

    private SoftTargetInput(final Consumer<byte[], byte[]> consumer, final List<TopicPartition> partitions,
                            final Map<TopicPartition, Long> next) {
        this.consumer = consumer;
        this.partitions = List.copyOf(partitions);
        this.next = new HashMap<>(next);
    }

    /**
     * Assigns every partition of soft-targets, each at its offset in {@code offsets} or at its
     * beginning. The topic must exist.
     */
    static SoftTargetInput open(final KdConfig config, final Map<Integer, Long> offsets) {
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                consumerConfig(config, config.get(ConfigKey.TRAINER_ID)), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            final String topic = config.topics().softTargets();
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, STARTUP_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            final List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                    .toList();
            consumer.assign(partitions);
            final Map<TopicPartition, Long> start = new LinkedHashMap<>();
            for (final TopicPartition tp : partitions) {
                final Long offset = offsets.get(tp.partition());
                if (offset != null) {
                    consumer.seek(tp, offset);
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
                start.put(tp, consumer.position(tp, STARTUP_TIMEOUT));
            }
            return new SoftTargetInput(consumer, partitions, start);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            throw e;
        }
    }

    static Properties consumerConfig(final KdConfig config, final String trainerId) {
        // the teacher writes soft-targets in transactions: never train on an aborted one
        final Properties p = CommittedReader.config(config.kafkaProperties(), "student-trainer-" + trainerId);
        // a checkpoint offset past the log end (topic re-created): start over rather than stall
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** The next records; each one handed out moves {@link #offsets()} past it. */
    ConsumerRecords<byte[], byte[]> poll(final Duration timeout) {
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        for (final ConsumerRecord<byte[], byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        }
        return records;
    }

    /** The next offset to read per partition: every record before it was handed out. */
    Map<Integer, Long> offsets() {
        final Map<Integer, Long> offsets = new LinkedHashMap<>();
        for (final TopicPartition tp : partitions) {
            long offset = next.get(tp);
            try {
                // past transaction markers too, when the consumer knows its position without asking the broker
                offset = Math.max(offset, consumer.position(tp, Duration.ZERO));
            } catch (WakeupException | TimeoutException e) {
                // stopping, or the position is being reset: what was handed out is exact anyway
            }
            offsets.put(tp.partition(), offset);
        }
        return offsets;
    }

    /** From what the consumer already knows (no request to the broker); -1 when unknown. */
    long lag() {
        long total = 0;
        try {
            for (final TopicPartition tp : partitions) {
                final OptionalLong lag = consumer.currentLag(tp);
                if (lag.isEmpty()) {
                    return -1;
                }
                total += lag.getAsLong();
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return total;
    }

    /** For Kafka's client metrics. */
    Consumer<byte[], byte[]> client() {
        return consumer;
    }

    /** Makes a running {@link #poll} throw {@code WakeupException}; safe from any thread. */
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
