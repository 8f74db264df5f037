package dev.kdstream.launcher.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kdstream.common.config.KdConfig;
import dev.kdstream.common.json.Json;
import dev.kdstream.common.records.Prediction;

/**
 * A consumer on its own thread reading one topic from the beginning, read_committed (what any
 * downstream reader sees), handing each record to the current phase's {@link LatencyRecorder}.
 * Event time: the Kafka timestamp for raw feature records (the producer stamps it with the same
 * wall clock as the value's {@code ts}), the value's {@code ts} and {@code servedAt} for predictions.
 */
final class TopicTap implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final boolean predictions;
    private final Thread thread;
    private volatile LatencyRecorder phase;
    private volatile boolean stop;
    private volatile RuntimeException failure;

    private TopicTap(final KdConfig config, final String topic, final boolean predictions) {
        final Properties p = config.kafkaProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "kd-bench-tap-" + topic);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.predictions = predictions;
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "kd-bench-tap-" + topic);
        thread.setDaemon(true);
    }

    /** Raw feature records: latency = arrival - Kafka timestamp. */
    static TopicTap features(final KdConfig config, final LatencyRecorder phase) {
        final TopicTap tap = new TopicTap(config, config.topics().features(), false);
        tap.phase = phase;
        tap.thread.start();
        return tap;
    }

    /** The pipeline's predictions: latency = arrival - ts, and servedAt - ts. */
    static TopicTap predictions(final KdConfig config) {
        final TopicTap tap = new TopicTap(config, config.topics().predictions(), true);
        tap.thread.start();
        return tap;
    }

    /** Records from now on go to {@code recorder} (when their key has its prefix). */
    void phase(final LatencyRecorder recorder) {
        this.phase = recorder;
    }

    void requireAlive() {
        if (failure != null) {
            throw failure;
        }
    }

    private void run() {
        try {
            while (!stop) {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    final long now = System.currentTimeMillis();
                    final String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    long event = r.timestamp();
                    long served = -1;
                    if (predictions) {
                        final Prediction p = Json.MAPPER.readValue(r.value(), Prediction.class);
                        event = p.ts();
                        served = p.servedAt();
                    }
                    final LatencyRecorder current = phase;
                    // a record of no current phase (a late arrival of an earlier one) is not counted
                    if (current != null) {
                        current.record(key, event, served, now);
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll: done
        } catch (IOException | RuntimeException e) {
            failure = new IllegalStateException("the benchmark's consumer failed: " + e, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        stop = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
