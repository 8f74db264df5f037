package dev.kdstream.student.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.StudentCheckpoint;

/**
 * Reads checkpoints back from the compacted checkpoints topic: the whole topic from the
 * beginning up to its end offsets at the time of the call. No consumer group: nothing to commit,
 * and every reader sees the whole log.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private CheckpointStore() {
    }

    /** The newest checkpoint of {@code trainerId} (highest version), if any. */
    public static Optional<StudentCheckpoint> latest(final KdConfig config, final String trainerId) {
        final StudentCheckpoint[] newest = new StudentCheckpoint[1];
        scan(config, trainerId, c -> {
            if (c == null) {
                newest[0] = null;
            } else if (newest[0] == null || c.version() >= newest[0].version()) {
                newest[0] = c;
            }
        });
        return Optional.ofNullable(newest[0]);
    }

    /** Every checkpoint of {@code trainerId} still in the log, in log order (tests, diagnostics). */
    public static List<StudentCheckpoint> all(final KdConfig config, final String trainerId) {
        final List<StudentCheckpoint> found = new ArrayList<>();
        scan(config, trainerId, c -> {
            if (c != null) {
                found.add(c);
            }
        });
        return found;
    }

    /** Calls {@code sink} with each checkpoint of the trainer in log order; null for a tombstone. */
    private static void scan(final KdConfig config, final String trainerId, final Consumer<StudentCheckpoint> sink) {
        final Topic<String, StudentCheckpoint> topic = Topics.of(config.topics()).checkpoints();
        final Deserializer<StudentCheckpoint> values = topic.valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(config),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), READ_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return;
            }
            final List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            final long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new CheckpointException("timed out reading " + topic.name() + " up to " + end);
                }
                for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!trainerId.equals(r.key())) {
                        continue;
                    }
                    if (r.value() == null) {
                        sink.accept(null);
                        continue;
                    }
                    try {
                        sink.accept(values.deserialize(r.topic(), r.value()));
                    } catch (RuntimeException e) {
                        // an unreadable checkpoint is skipped: the one before it is still a valid restart point
                        LOG.warn("skipping unreadable checkpoint at {}-{}@{}: {}", r.topic(), r.partition(),
                                r.offset(), e.getMessage());
                    }
                }
            }
        }
    }

    private static boolean reached(final KafkaConsumer<?, ?> consumer, final Map<TopicPartition, Long> end) {
        for (final Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), READ_TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Properties consumerConfig(final KdConfig config) {
        final Properties p = config.kafkaProperties();
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "checkpoint-store-" + Long.toHexString(System.nanoTime()));
        // a checkpoint holds two networks with their optimiser state: let one fetch carry it
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(TopicAdmin.CHECKPOINT_MAX_BYTES));
        return p;
    }
}
