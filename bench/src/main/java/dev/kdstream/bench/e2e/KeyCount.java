package dev.kdstream.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kdstream.contracts.config.KdConfig;

/**
 * What a downstream reader of one topic sees of a benchmark's records: a read_committed
 * {@link TopicReader} from the topic's end, counting per round the distinct keys of the run
 * ({@code <run><round>-<id>}), and the records that repeat a key.
 */
final class KeyCount implements AutoCloseable {

    private final TopicReader reader;
    /** Only the reader's thread touches it. */
    private final Set<String> seen = new HashSet<>();
    private final Map<String, AtomicLong> distinct = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();

    /** @param run the prefix of the run's keys; what follows it up to the next '-' names the round */
    KeyCount(final KdConfig config, final String topic, final String run) {
        this.reader = new TopicReader(config, topic, "kd-bench-count-" + topic, true, records -> {
            for (final ConsumerRecord<byte[], byte[]> r : records) {
                final String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                final int roundEnd = key.indexOf('-', run.length());
                if (!key.startsWith(run) || roundEnd < 0) {
                    continue;
                }
                if (seen.add(key)) {
                    distinct.computeIfAbsent(key.substring(run.length(), roundEnd), k -> new AtomicLong())
                            .incrementAndGet();
                } else {
                    duplicates.incrementAndGet();
                }
            }
        });
    }

    /** Distinct keys of {@code round} so far. */
    long distinct(final String round) {
        reader.requireAlive();
        final AtomicLong n = distinct.get(round);
        return n == null ? 0 : n.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    @Override
    public void close() {
        reader.close();
    }
}
