package dev.kdstream.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kdstream.contracts.config.KdConfig;

/**
 * What a downstream reader of one topic sees of a benchmark's records: a read_committed
 * {@link TopicReader} from the topic's end, counting the distinct keys that start with the run's
 * prefix and the records that repeat one (an exactly-once pipeline writes none).
 */
final class KeyCount implements AutoCloseable {

    private final String prefix;
    private final TopicReader reader;
    /** Only the reader's thread touches it. */
    private final Set<String> seen = new HashSet<>();
    private volatile long distinct;
    private volatile long duplicates;

    KeyCount(final KdConfig config, final String topic, final String prefix) {
        this.prefix = prefix;
        this.reader = new TopicReader(config, topic, "kd-bench-count-" + topic, true, records -> {
            for (final ConsumerRecord<byte[], byte[]> r : records) {
                final String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                if (key.startsWith(prefix)) {
                    if (seen.add(key)) {
                        distinct++;
                    } else {
                        duplicates++;
                    }
                }
            }
        });
    }

    long distinct() {
        reader.requireAlive();
        return distinct;
    }

    long duplicates() {
        return duplicates;
    }

    String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        reader.close();
    }
}
