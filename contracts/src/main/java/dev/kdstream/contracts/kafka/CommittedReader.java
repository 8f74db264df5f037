package dev.kdstream.contracts.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A consumer that is assigned its partitions and seeks itself: it never joins a consumer group
 * (so it never disturbs a service's offsets or waits for a rebalance) and never commits. It reads
 * committed transactions only, as every downstream reader of a transactional topic should.
 *
 * <p>Not thread-safe, except {@link #wakeup()}.
 */
public final class CommittedReader<K, V> implements AutoCloseable {

    /** A poll that gets only transaction markers returns nothing until its timeout: keep it short. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<K, V> consumer;

    /**
     * @param config from {@link #config}, plus what the caller needs (a fetch size, a group id to
     *               look up that group's committed offsets with)
     */
    public CommittedReader(final Properties config, final Deserializer<K> keys, final Deserializer<V> values) {
        final Properties p = new Properties();
        p.putAll(config);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, keys, values);
    }

    /** {@code client} (bootstrap servers, security) without a group, read_committed, named {@code clientId}. */
    public static Properties config(final Properties client, final String clientId) {
        final Properties p = new Properties();
        p.putAll(client);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /**
     * Every partition of {@code topic} in partition order, assigned to this reader; empty when the
     * topic does not exist. Assigned before any offset is listed: read_committed offset lookups
     * update the assigned partitions' stable offsets, and warn about any other.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the broker does not answer in time
     */
    public List<TopicPartition> assignAll(final String topic, final Duration timeout) {
        // listTopics answers at once; partitionsFor waits out the timeout for a missing topic
        final List<PartitionInfo> infos = consumer.listTopics(timeout).get(topic);
        if (infos == null || infos.isEmpty()) {
            return List.of();
        }
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        partitions.sort(Comparator.comparingInt(TopicPartition::partition));
        assign(partitions);
        return List.copyOf(partitions);
    }

    /** Reads {@code partitions} (and no other) from now on; resumes any paused by a {@link #read}. */
    public void assign(final Collection<TopicPartition> partitions) {
        consumer.assign(partitions);
        consumer.resume(consumer.paused());
    }

    public Map<TopicPartition, Long> beginningOffsets(final Collection<TopicPartition> partitions,
                                                      final Duration timeout) {
        return consumer.beginningOffsets(partitions, timeout);
    }

    /** The last stable offsets: no record of an open transaction lies before them. */
    public Map<TopicPartition, Long> endOffsets(final Collection<TopicPartition> partitions, final Duration timeout) {
        return consumer.endOffsets(partitions, timeout);
    }

    /**
     * The offset {@code config}'s group committed for an assigned {@code partition}, a stable one
     * (KIP-447: none an open transaction can still change); empty when there is none.
     */
    public OptionalLong committed(final TopicPartition partition, final Duration timeout) {
        final OffsetAndMetadata committed = consumer.committed(Set.of(partition), timeout).get(partition);
        return committed == null ? OptionalLong.empty() : OptionalLong.of(committed.offset());
    }

    public void seek(final TopicPartition partition, final long offset) {
        consumer.seek(partition, offset);
    }

    public void seekToBeginning(final Collection<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
    }

    public void seekToEnd(final Collection<TopicPartition> partitions) {
        consumer.seekToEnd(partitions);
    }

    /** The next records of the assigned partitions, for a reader that follows a topic. */
    public ConsumerRecords<K, V> poll(final Duration timeout) {
        return consumer.poll(timeout);
    }

    /**
     * Reads each partition from {@code from} (inclusive) to {@code to} (exclusive), handing the
     * records to {@code sink} in each partition's order. Assigns exactly the partitions with
     * something to read.
     *
     * @param deadline a {@link System#nanoTime()} value
     * @return false if the deadline passed first
     */
    public boolean read(final Map<TopicPartition, Long> from, final Map<TopicPartition, Long> to, final long deadline,
                        final Consumer<ConsumerRecord<K, V>> sink) {
        final Map<TopicPartition, Long> pending = new HashMap<>();
        for (final Map.Entry<TopicPartition, Long> e : from.entrySet()) {
            if (e.getValue() < to.get(e.getKey())) {
                pending.put(e.getKey(), to.get(e.getKey()));
            }
        }
        // one assignment for the whole read; finished partitions are paused, not unassigned, so
        // no fetch in flight is orphaned
        assign(pending.keySet());
        pending.keySet().forEach(tp -> consumer.seek(tp, from.get(tp)));
        while (!pending.isEmpty()) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            for (final ConsumerRecord<K, V> r : consumer.poll(Duration.ofNanos(Math.min(left, POLL.toNanos())))) {
                final Long stop = pending.get(new TopicPartition(r.topic(), r.partition()));
                if (stop != null && r.offset() < stop) {
                    sink.accept(r);
                }
            }
            // the position passes transaction markers too, so compare positions, not record counts
            final List<TopicPartition> finished = new ArrayList<>();
            for (final Map.Entry<TopicPartition, Long> p : pending.entrySet()) {
                // bounded too: after an offset reset the position is a request to the broker
                final long remaining = Math.max(1, deadline - System.nanoTime());
                try {
                    if (consumer.position(p.getKey(), Duration.ofNanos(remaining)) >= p.getValue()) {
                        finished.add(p.getKey());
                    }
                } catch (TimeoutException e) {
                    return false;
                }
            }
            consumer.pause(finished);
            finished.forEach(pending::remove);
        }
        return true;
    }

    /**
     * The last records of each partition: read up to {@code end}.
     *
     * @param records  per partition, oldest first; at least the last {@code n} where it holds that many
     * @param complete false when the deadline passed before every partition was read back far enough
     */
    public record Tail<K, V>(Map<TopicPartition, List<ConsumerRecord<K, V>>> records, Map<TopicPartition, Long> end,
                             boolean complete) {
    }

    /**
     * The last {@code n} records of each of {@code partitions} (assigned to this reader): read back
     * from each partition's end, further back where transaction markers take up some of the
     * offsets, until {@code n} or the partition's beginning.
     *
     * @param deadline a {@link System#nanoTime()} value
     */
    public Tail<K, V> tail(final List<TopicPartition> partitions, final int n, final long deadline,
                           final Duration timeout) {
        final Map<TopicPartition, Long> begin = beginningOffsets(partitions, timeout);
        final Map<TopicPartition, Long> end = endOffsets(partitions, timeout);
        final Map<TopicPartition, List<ConsumerRecord<K, V>>> found = new HashMap<>();
        final Map<TopicPartition, Long> window = new HashMap<>();
        final List<TopicPartition> todo = new ArrayList<>();
        for (final TopicPartition tp : partitions) {
            window.put(tp, (long) n);
            if (end.get(tp) > begin.get(tp)) {
                todo.add(tp);
            }
        }
        while (!todo.isEmpty() && System.nanoTime() < deadline) {
            final Map<TopicPartition, Long> from = new HashMap<>();
            final Map<TopicPartition, Long> to = new HashMap<>();
            for (final TopicPartition tp : todo) {
                from.put(tp, Math.max(begin.get(tp), end.get(tp) - window.get(tp)));
                to.put(tp, end.get(tp));
                found.put(tp, new ArrayList<>());
            }
            read(from, to, deadline, r -> found.get(new TopicPartition(r.topic(), r.partition())).add(r));
            todo.removeIf(tp -> found.get(tp).size() >= n || from.get(tp).equals(begin.get(tp)));
            todo.forEach(tp -> window.put(tp, window.get(tp) * 4));
        }
        return new Tail<>(found, end, todo.isEmpty());
    }

    /** Makes a running {@link #poll} throw {@code WakeupException}; safe from any thread (a shutdown hook). */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
