package dev.kdstream.launcher.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.ControlReader;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.kafka.KafkaAccess;
import dev.kdstream.contracts.kafka.TopicAdmin;

/** Reads and writes the {@code control} topic: one partition, each record the whole set of live settings. */
final class ControlTopic {

    /**
     * One record of the topic.
     *
     * @param settings null for a record that is not a control record ({@code problem} says why)
     */
    record Entry(long version, long timestamp, LiveSettings settings, String problem) {
    }

    private final KdConfig config;
    private final Duration timeout;
    private final TopicPartition partition;

    ControlTopic(final KdConfig config, final Duration timeout) {
        this.config = config;
        this.timeout = timeout;
        this.partition = new TopicPartition(config.topics().control(), 0);
    }

    /** Every record, oldest first (the history: compaction keeps each for 30 days, the newest for good). */
    List<Entry> history() {
        final List<Entry> entries = new ArrayList<>();
        try {
            final Optional<ControlReader> opened = ControlReader.open(config, "kd-control", timeout);
            if (opened.isEmpty()) {
                return entries;
            }
            try (ControlReader reader = opened.get()) {
                reader.readToEnd(timeout, r -> entries.add(entry(r)));
            }
        } catch (ControlReader.Incomplete e) {
            throw new EnvironmentException(e.getMessage(), e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable(e);
        }
        return entries;
    }

    /** The settings in force: those of the newest control record, none before the first. */
    Entry current() {
        final List<Entry> all = history();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).settings() != null) {
                return all.get(i);
            }
        }
        return new Entry(-1, 0, LiveSettings.NONE, null);
    }

    /** Writes {@code settings} as the newest record, creating the topic if it is missing; returns its version. */
    long write(final LiveSettings settings) {
        TopicAdmin.ensureTopics(config, List.of(partition.topic()));
        final Properties p = config.kafkaProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            final RecordMetadata written = producer.send(new ProducerRecord<>(partition.topic(), 0,
                    LiveSettings.RECORD_KEY, settings.toBytes())).get(timeout.toSeconds(), TimeUnit.SECONDS);
            return written.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + partition.topic(), e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw KafkaAccess.explain(e).map(m -> new EnvironmentException(m, e)).orElseGet(() -> unreachable(e));
        }
    }

    private EnvironmentException unreachable(final Exception e) {
        return new EnvironmentException(KafkaAccess.unreachable(config.get(ConfigKey.BOOTSTRAP_SERVERS),
                timeout.toSeconds(), " for " + partition.topic(), "--bootstrap-servers or "
                        + ConfigKey.BOOTSTRAP_SERVERS.env()), e);
    }

    private static Entry entry(final ControlReader.Entry r) {
        try {
            return new Entry(r.version(), r.timestamp(), LiveSettings.fromBytes(r.value()), null);
        } catch (IllegalArgumentException e) {
            return new Entry(r.version(), r.timestamp(), null, e.getMessage());
        }
    }

    /** For a person: who set what, and when. */
    static String describe(final Entry e) {
        if (e.settings() == null) {
            return String.format(Locale.ROOT, "version %d, %s: not a control record (%s): the services "
                    + "refused it", e.version(), Instant.ofEpochMilli(e.timestamp()), e.problem());
        }
        final StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "version %d, %s", e.version(),
                Instant.ofEpochMilli(e.timestamp())));
        if (!e.settings().by().isEmpty()) {
            s.append(", by ").append(e.settings().by());
        }
        s.append(": ");
        if (e.settings().settings().isEmpty()) {
            s.append("none (each service's own configuration)");
        } else {
            s.append(String.join(", ", e.settings().settings().entrySet().stream()
                    .map(x -> x.getKey() + "=" + x.getValue()).toList()));
        }
        return s.toString();
    }
}
