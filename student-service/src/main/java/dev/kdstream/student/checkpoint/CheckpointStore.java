package dev.kdstream.student.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.CommittedReader;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.StudentCheckpoint;

/**
 * Reads checkpoints back from the compacted checkpoints topic: the whole topic from the
 * beginning up to its end offsets at the time of the call, with a {@link CommittedReader} (no
 * consumer group: nothing to commit, and every reader sees the whole log).
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

    /**
     * The checkpoints of {@code trainerId} since its last deletion (tombstone), in log order: the
     * ones a restart may resume from, newest last.
     */
    public static List<StudentCheckpoint> sinceLastDeletion(final KdConfig config, final String trainerId) {
        final List<StudentCheckpoint> found = new ArrayList<>();
        scan(config, trainerId, c -> {
            if (c == null) {
                found.clear();
            } else {
                found.add(c);
            }
        });
        return found;
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
        try (CommittedReader<String, byte[]> reader = new CommittedReader<>(readerConfig(config),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = reader.assignAll(topic.name(), READ_TIMEOUT);
            if (partitions.isEmpty()) {
                return;
            }
            final Map<TopicPartition, Long> begin = reader.beginningOffsets(partitions, READ_TIMEOUT);
            final Map<TopicPartition, Long> end = reader.endOffsets(partitions, READ_TIMEOUT);
            final long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            final boolean complete = reader.read(begin, end, deadline, r -> {
                if (!trainerId.equals(r.key())) {
                    return;
                }
                if (r.value() == null) {
                    sink.accept(null);
                    return;
                }
                try {
                    sink.accept(values.deserialize(r.topic(), r.value()));
                } catch (RuntimeException e) {
                    // an unreadable checkpoint is skipped: the one before it is still a valid restart point
                    LOG.warn("skipping unreadable checkpoint at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                            e.getMessage());
                }
            });
            if (!complete) {
                throw new CheckpointException("timed out reading " + topic.name() + " up to " + end);
            }
        }
    }

    private static Properties readerConfig(final KdConfig config) {
        final Properties p = CommittedReader.config(config.kafkaProperties(),
                "checkpoint-store-" + Long.toHexString(System.nanoTime()));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a checkpoint holds two networks with their optimiser state: let one fetch carry it
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(TopicAdmin.CHECKPOINT_MAX_BYTES));
        return p;
    }
}
