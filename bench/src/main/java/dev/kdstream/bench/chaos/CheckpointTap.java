package dev.kdstream.bench.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kdstream.contracts.kafka.JsonSerde;
import dev.kdstream.contracts.records.StudentCheckpoint;

/**
 * Follows the (compacted) checkpoints topic while the run goes on, so that every checkpoint is
 * seen before compaction can remove it: the versions of each trainer are checked in order.
 */
final class CheckpointTap implements Runnable, AutoCloseable {

    /** A checkpoint as seen, without its weights. */
    record Seen(String trainerId, long version, long recordsTrained, Map<Integer, Long> offsets, long seenNanos) {
    }

    private final Properties client;
    private final String topic;
    private final List<Seen> seen = new ArrayList<>();
    private volatile boolean stop;

    CheckpointTap(final Properties client, final String topic) {
        this.client = client;
        this.topic = topic;
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, StudentCheckpoint> consumer = new KafkaConsumer<>(TopicTally.readCommitted(client),
                new StringDeserializer(), JsonSerde.serdeFor(StudentCheckpoint.class).deserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofMinutes(2))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stop) {
                for (final ConsumerRecord<String, StudentCheckpoint> r : consumer.poll(Duration.ofMillis(200))) {
                    final StudentCheckpoint c = r.value();
                    if (c != null) {
                        synchronized (seen) {
                            seen.add(new Seen(c.trainerId(), c.version(), c.recordsTrained(), c.offsets(),
                                    System.nanoTime()));
                        }
                    }
                }
            }
        }
    }

    List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** The newest checkpoint seen, or null. */
    Seen newest() {
        synchronized (seen) {
            return seen.isEmpty() ? null : seen.get(seen.size() - 1);
        }
    }

    @Override
    public void close() {
        stop = true;
    }
}
