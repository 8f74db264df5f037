package dev.kdstream.client.produce;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.LabelRecord;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Sends feature messages to the {@code features} topic and keeps count of what the broker
 * acknowledged and what failed. The value's {@code ts} and the Kafka timestamp are the wall clock
 * at send time. Sends from one thread; callbacks arrive on the producer's I/O thread.
 */
public final class FeatureProducer implements AutoCloseable {

    /** {@link MetricNames#STAGE} values of {@link MetricNames#RECORDS}. */
    static final String STAGE_PRODUCED = "produced";
    static final String STAGE_FAILED = "produce_failed";

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong labels = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastAckNanos = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private final Counter produced;
    private final Counter failures;
    private final Timer ackLatency;

    FeatureProducer(final Producer<byte[], byte[]> producer, final String topic, final MeterRegistry registry) {
        this.producer = producer;
        this.topic = topic;
        this.produced = Counter.builder(MetricNames.RECORDS).description("records acknowledged by the broker")
                .tag(MetricNames.STAGE, STAGE_PRODUCED).register(registry);
        this.failures = Counter.builder(MetricNames.RECORDS).description("records the broker did not acknowledge")
                .tag(MetricNames.STAGE, STAGE_FAILED).register(registry);
        this.ackLatency = Timer.builder(MetricNames.PRODUCER_ACK_LATENCY)
                .description("time from send to the broker's acknowledgement")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * Client properties: the configured ones (bootstrap servers and any {@code kafka.*} pass-through)
     * win; these defaults make every record land exactly once, in order, in small fast batches.
     */
    public static Properties producerProperties(final KdConfig config) {
        final Properties p = config.kafkaProperties();
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kd-producer");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        // none, not lz4: JSON of 20 doubles compresses about 2x, but the broker decompresses every
        // batch to validate it and each consumer again, and lz4's writer allocates two 64 KB buffers
        // per batch: on one box that costs more CPU than it saves (docs/benchmarks.md, end to end).
        // Across a slow network, set kafka.compression.type=lz4 (every client gets it; only
        // producers read it).
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    static KafkaProducer<byte[], byte[]> kafkaProducer(final KdConfig config) {
        return new KafkaProducer<>(producerProperties(config));
    }

    /** Sends one message stamped with the current wall clock; never blocks longer than {@code max.block.ms}. */
    void send(final FeatureMessage message) {
        final long ts = System.currentTimeMillis();
        send(new ProducerRecord<>(topic, null, ts, message.key(), message.value(ts)));
    }

    private void send(final ProducerRecord<byte[], byte[]> record) {
        final long start = System.nanoTime();
        sent.incrementAndGet();
        producer.send(record, (metadata, exception) -> {
            final long now = System.nanoTime();
            if (exception == null) {
                ackLatency.record(now - start, TimeUnit.NANOSECONDS);
                produced.increment();
                acked.incrementAndGet();
            } else {
                firstError.compareAndSet(null, exception);
                failures.increment();
                failed.incrementAndGet();
            }
            lastAckNanos.set(now);
        });
    }

    /** Sends a late label, {@code {"id", "label", "ts"}} stamped with the wall clock, to {@code labelsTopic}. */
    void sendLabel(final String labelsTopic, final String id, final int label) {
        final long ts = System.currentTimeMillis();
        final byte[] value;
        try {
            value = Json.MAPPER.writeValueAsBytes(new LabelRecord(id, label, ts));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write label " + id, e);
        }
        send(new ProducerRecord<>(labelsTopic, null, ts, id.getBytes(StandardCharsets.UTF_8), value));
        labels.incrementAndGet();
    }

    /** Labels sent apart from their records. */
    long labels() {
        return labels.get();
    }

    /**
     * Waits (up to {@code max.block.ms}) until the client knows the topic's partitions.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the topic does not exist or no broker answers
     */
    void awaitMetadata() {
        producer.partitionsFor(topic);
    }

    /** Blocks until every record sent so far is acknowledged or failed. */
    void flush() {
        producer.flush();
    }

    long sent() {
        return sent.get();
    }

    long acked() {
        return acked.get();
    }

    long failed() {
        return failed.get();
    }

    /** {@link System#nanoTime()} of the last acknowledgement or failure, 0 before the first. */
    long lastAckNanos() {
        return lastAckNanos.get();
    }

    /** The first send failure, or null. */
    Exception firstError() {
        return firstError.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
