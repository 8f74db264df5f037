package dev.kdstream.client.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import dev.kdstream.contracts.kafka.CommittedReader;
import dev.kdstream.contracts.kafka.KafkaAccess;
import dev.kdstream.contracts.kafka.ListenerProbe;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.Prediction;

/**
 * Reads the {@code predictions} topic with a {@link CommittedReader}: no consumer group, so a query
 * never disturbs the services' offsets and never waits for a group rebalance. Only committed
 * records are read: the prediction server writes in transactions.
 *
 * <p>Values are read as bytes and decoded here, so one bad value is shown as such instead of
 * stopping the read. Not thread-safe, except {@link #wakeup()}.
 */
public final class PredictionReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final CommittedReader<String, byte[]> reader;
    private final String topic;
    private final String bootstrapServers;
    /** Whether the client authenticates: a secured cluster hides the topics a principal has no ACL on. */
    private final boolean authenticated;
    private final Deserializer<Prediction> values;
    /** Where the last {@link #last} read up to, so a {@link #follow} after it misses nothing. */
    private Map<TopicPartition, Long> readUpTo = Map.of();

    public PredictionReader(final KdConfig config) {
        this(config, false);
    }

    /** @param shadow reads the shadow students' predictions instead of the served one's */
    public PredictionReader(final KdConfig config, final boolean shadow) {
        final Topics topics = Topics.of(config.topics());
        final Topic<String, Prediction> predictions = shadow ? topics.shadowPredictions() : topics.predictions();
        this.topic = predictions.name();
        this.bootstrapServers = config.get(ConfigKey.BOOTSTRAP_SERVERS);
        this.authenticated = !"PLAINTEXT".equals(ListenerProbe.protocol(config.kafkaProperties()));
        this.values = predictions.valueSerde().deserializer();
        this.reader = new CommittedReader<>(readerConfig(config), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    static Properties readerConfig(final KdConfig config) {
        return readerConfig(config, "kd-query");
    }

    /** A read_committed reader's config, its client id the configured one, else {@code defaultClientId}. */
    static Properties readerConfig(final KdConfig config, final String defaultClientId) {
        final Properties client = config.kafkaProperties();
        return CommittedReader.config(client, client.getProperty(ConsumerConfig.CLIENT_ID_CONFIG, defaultClientId));
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
        final Map<TopicPartition, Long> from = reader.beginningOffsets(partitions, timeout);
        final Map<TopicPartition, Long> to = reader.endOffsets(partitions, timeout);
        final StoredPrediction[] newest = new StoredPrediction[1];
        final long[] scanned = new long[1];
        final boolean complete = reader.read(from, to, deadline, record -> {
            final StoredPrediction r = decode(record);
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
        final CommittedReader.Tail<String, byte[]> tail = reader.tail(partitions(timeout), n, deadline, timeout);
        readUpTo = tail.end();
        final List<StoredPrediction> all = new ArrayList<>();
        for (final List<ConsumerRecord<String, byte[]>> inPartition : tail.records().values()) {
            inPartition.subList(Math.max(0, inPartition.size() - n), inPartition.size())
                    .forEach(r -> all.add(decode(r)));
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
        reader.assign(partitions);
        reader.seekToEnd(partitions);
        readUpTo.forEach((tp, offset) -> {
            if (partitions.contains(tp)) {
                reader.seek(tp, offset);
            }
        });
        try {
            while (true) {
                for (final ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                    sink.accept(decode(r));
                }
            }
        } catch (WakeupException | InterruptException e) {
            // asked to stop
        }
    }

    /** Makes a running {@link #follow} return; safe from any thread (a shutdown hook). */
    public void wakeup() {
        reader.wakeup();
    }

    @Override
    public void close() {
        reader.close();
    }

    /** Oldest first: by serving time, then partition and offset so the order is total. */
    static final Comparator<StoredPrediction> NEWEST_LAST = Comparator.comparingLong(StoredPrediction::servedAt)
            .thenComparingLong(StoredPrediction::timestamp)
            .thenComparingInt(StoredPrediction::partition)
            .thenComparingLong(StoredPrediction::offset);

    private List<TopicPartition> partitions(final Duration timeout) {
        final List<TopicPartition> partitions;
        try {
            partitions = reader.assignAll(topic, timeout);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException(KafkaAccess.unreachable(bootstrapServers, timeout.toSeconds(), "",
                    "--bootstrap-servers"), e);
        }
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException(authenticated
                    ? "topic " + topic + " does not exist, or this principal may not describe it: read it as the "
                            + "reader's principal (on './kd broker --secure', its kd-reader.properties), which has Read "
                            + "and Describe on it (the README's Security section)"
                    : "topic " + topic + " does not exist (is the stack running? it is created by './kd produce' "
                            + "and the services on start)");
        }
        return partitions;
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
