package dev.kdstream.client.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.Prediction;

/**
 * Reads the {@code predictions} topic without a consumer group (assign and seek), so a query
 * never disturbs the services' offsets and never waits for a group rebalance. Only committed
 * records are read: the prediction server writes in transactions.
 *
 * <p>Values are read as bytes and decoded here, so one bad value is shown as such instead of
 * stopping the read. Not thread-safe, except {@link #wakeup()}.
 */
public final class PredictionReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final String bootstrapServers;
    private final Deserializer<Prediction> values;
    /** Where the last {@link #last} read up to, so a {@link #follow} after it misses nothing. */
    private Map<TopicPartition, Long> readUpTo = Map.of();

    public PredictionReader(final KdConfig config) {
        final Topic<String, Prediction> predictions = Topics.of(config.topics()).predictions();
        this.topic = predictions.name();
        this.bootstrapServers = config.get(ConfigKey.BOOTSTRAP_SERVERS);
        this.values = predictions.valueSerde().deserializer();
        this.consumer = new KafkaConsumer<>(consumerProperties(config));
    }

    static Properties consumerProperties(final KdConfig config) {
        final Properties p = config.kafkaProperties();
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kd-query");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    public String topic() {
        return topic;
    }

    /** The result of a scan for one id. */
    public record Search(StoredPrediction newest, long scanned, boolean complete) {
    }

    /**
     * Scans the whole topic, as it stands now, for predictions keyed {@code id}.
     *
     * @return the newest one (by serving time), or null in {@code newest}; {@code complete} is false
     *         when the timeout cut the scan short
     */
    public Search find(final String id, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<TopicPartition> partitions = partitions(timeout);
        final Map<TopicPartition, Long> from = consumer.beginningOffsets(partitions, timeout);
        final Map<TopicPartition, Long> to = consumer.endOffsets(partitions, timeout);
        final StoredPrediction[] newest = new StoredPrediction[1];
        final long[] scanned = new long[1];
        final boolean complete = read(from, to, deadline, r -> {
            scanned[0]++;
            if (id.equals(r.key()) && (newest[0] == null || NEWEST_LAST.compare(r, newest[0]) > 0)) {
                newest[0] = r;
            }
        });
        return new Search(newest[0], scanned[0], complete);
    }

    /**
     * The last {@code n} predictions across all partitions, oldest first. Reads back from the end
     * of each partition, further back when transaction markers take up some of the offsets.
     */
    public List<StoredPrediction> last(final int n, final Duration timeout) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of predictions must be >= 1, got " + n);
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<TopicPartition> partitions = partitions(timeout);
        final Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        readUpTo = end;
        final Map<TopicPartition, List<StoredPrediction>> found = new HashMap<>();
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
            read(from, to, deadline, r -> found.get(new TopicPartition(topic, r.partition())).add(r));
            todo.removeIf(tp -> found.get(tp).size() >= n || from.get(tp).equals(begin.get(tp)));
            todo.forEach(tp -> window.put(tp, window.get(tp) * 4));
        }
        final List<StoredPrediction> all = new ArrayList<>();
        for (final List<StoredPrediction> inPartition : found.values()) {
            all.addAll(inPartition.subList(Math.max(0, inPartition.size() - n), inPartition.size()));
        }
        all.sort(NEWEST_LAST);
        return new ArrayList<>(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /**
     * Hands every prediction that arrives from now on (or since the end of a preceding
     * {@link #last}) to {@code sink}, until {@link #wakeup()} (from another thread) or an interrupt.
     */
    public void follow(final Consumer<StoredPrediction> sink) {
        final List<TopicPartition> partitions = partitions(Duration.ofSeconds(30));
        consumer.assign(partitions);
        consumer.resume(consumer.paused());
        consumer.seekToEnd(partitions);
        readUpTo.forEach((tp, offset) -> {
            if (partitions.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
        try {
            while (true) {
                for (final ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    sink.accept(decode(r));
                }
            }
        } catch (WakeupException | InterruptException e) {
            // asked to stop
        }
    }

    /** Makes a running {@link #follow} return; safe from any thread (a shutdown hook). */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    /** Oldest first: by serving time, then partition and offset so the order is total. */
    static final Comparator<StoredPrediction> NEWEST_LAST = Comparator.comparingLong(StoredPrediction::servedAt)
            .thenComparingLong(StoredPrediction::timestamp)
            .thenComparingInt(StoredPrediction::partition)
            .thenComparingLong(StoredPrediction::offset);

    private List<TopicPartition> partitions(final Duration timeout) {
        final List<PartitionInfo> infos;
        try {
            // listTopics answers at once; partitionsFor waits out the timeout for a missing topic
            infos = consumer.listTopics(timeout).get(topic);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrapServers + " within "
                    + timeout.toSeconds() + " s (is the broker running? see --bootstrap-servers)", e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist (is the stack running? it is "
                    + "created by './kd produce' and the services on start)");
        }
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        partitions.sort(Comparator.comparingInt(TopicPartition::partition));
        // assigned before their offsets are listed: read_committed offset lookups update the
        // assigned partitions' stable offsets, and warn about any other
        consumer.assign(partitions);
        return partitions;
    }

    /**
     * Reads each partition from {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @return false if the deadline passed first
     */
    private boolean read(final Map<TopicPartition, Long> from, final Map<TopicPartition, Long> to, final long deadline,
                         final Consumer<StoredPrediction> sink) {
        final Map<TopicPartition, Long> pending = new HashMap<>();
        for (final Map.Entry<TopicPartition, Long> e : from.entrySet()) {
            if (e.getValue() < to.get(e.getKey())) {
                pending.put(e.getKey(), to.get(e.getKey()));
            }
        }
        // one assignment for the whole read; finished partitions are paused, not unassigned, so
        // no fetch in flight is orphaned
        consumer.assign(pending.keySet());
        consumer.resume(consumer.paused());
        pending.keySet().forEach(tp -> consumer.seek(tp, from.get(tp)));
        while (!pending.isEmpty()) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofNanos(Math.min(left,
                    POLL.toNanos())))) {
                final Long stop = pending.get(new TopicPartition(r.topic(), r.partition()));
                if (stop != null && r.offset() < stop) {
                    sink.accept(decode(r));
                }
            }
            // the position passes transaction markers too, so compare positions, not record counts
            final List<TopicPartition> finished = new ArrayList<>();
            pending.forEach((tp, stop) -> {
                if (consumer.position(tp) >= stop) {
                    finished.add(tp);
                }
            });
            consumer.pause(finished);
            finished.forEach(pending::remove);
        }
        return true;
    }

    private StoredPrediction decode(final ConsumerRecord<String, byte[]> r) {
        Prediction prediction = null;
        String error = null;
        if (r.value() == null) {
            error = "no value (a tombstone)";
        } else {
            try {
                prediction = values.deserialize(r.topic(), r.value());
            } catch (SerializationException e) {
                error = e.getMessage();
            }
        }
        return new StoredPrediction(r.key(), r.value(), prediction, error, r.partition(), r.offset(), r.timestamp());
    }
}
