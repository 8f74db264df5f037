package dev.kdstream.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.records.Prediction;

/**
 * A {@link TopicReader} of one topic handing each record to the current phase's {@link LatencyRecorder}.
 * Event time: the Kafka timestamp for raw feature records (the producer stamps it with the same
 * wall clock as the value's {@code ts}), the value's {@code ts} and {@code servedAt} for predictions.
 */
final class TopicTap implements AutoCloseable {

    private final boolean predictions;
    private final TopicReader reader;
    private volatile LatencyRecorder phase;

    private TopicTap(final KdConfig config, final String topic, final boolean predictions,
                     final LatencyRecorder initial) {
        this.predictions = predictions;
        this.phase = initial;
        this.reader = new TopicReader(config, topic, "kd-bench-tap-" + topic, this::record);
    }

    /** Raw feature records: latency = arrival - Kafka timestamp. */
    static TopicTap features(final KdConfig config, final LatencyRecorder phase) {
        return new TopicTap(config, config.topics().features(), false, phase);
    }

    /** The pipeline's predictions: latency = arrival - ts, and servedAt - ts. */
    static TopicTap predictions(final KdConfig config) {
        return new TopicTap(config, config.topics().predictions(), true, null);
    }

    /** Records from now on go to {@code recorder} (when their key has its prefix). */
    void phase(final LatencyRecorder recorder) {
        this.phase = recorder;
    }

    void requireAlive() {
        reader.requireAlive();
    }

    private void record(final ConsumerRecords<byte[], byte[]> records) throws IOException {
        for (final ConsumerRecord<byte[], byte[]> r : records) {
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

    @Override
    public void close() {
        reader.close();
    }
}
