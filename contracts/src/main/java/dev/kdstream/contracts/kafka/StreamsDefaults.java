package dev.kdstream.contracts.kafka;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import dev.kdstream.contracts.config.KdConfig;

/** Defaults our Kafka Streams apps give their clients, without overriding what the user set. */
public final class StreamsDefaults {

    private StreamsDefaults() {
    }

    /**
     * Sets {@code producer.<key>} unless the user set {@code key} or {@code producer.<key>}: Kafka
     * Streams lets a prefixed setting win over a plain one, so a prefixed default would silently
     * override the user's plain {@code kafka.<key>}.
     */
    public static void producerDefault(final Properties streamsProps, final String key, final Object value) {
        if (!streamsProps.containsKey(key)) {
            streamsProps.putIfAbsent(StreamsConfig.producerPrefix(key), value);
        }
    }

    /**
     * Static group membership, so that a restarted instance resumes in seconds: it rejoins under its
     * {@code group.instance.id} and gets its partitions back without a rebalance, where a new
     * (dynamic) member waits for the dead one's session to expire (45 s by default). A 10 s session
     * also bounds how long the partitions of an instance that does not come back stay idle. A
     * restarted instance's new subscription (Streams makes a new process id per start) still costs a
     * rebalance, which waits for every other member to hear of it at its next heartbeat: a short
     * heartbeat interval keeps that wait short.
     * Streams suffixes the id per stream thread. The transaction timeout stays Streams' 10 s: a
     * shorter one gets a live producer fenced when a broker restart outlasts it
     * (docs/platform.md, "Recovery after SIGKILL").
     */
    public static void staticMembership(final Properties streamsProps, final KdConfig config) {
        streamsProps.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
        consumerDefault(streamsProps, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        consumerDefault(streamsProps, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
    }

    /** Like {@link #producerDefault}, for the main consumer. */
    public static void consumerDefault(final Properties streamsProps, final String key, final Object value) {
        if (!streamsProps.containsKey(key) && !streamsProps.containsKey(StreamsConfig.consumerPrefix(key))) {
            streamsProps.putIfAbsent(StreamsConfig.mainConsumerPrefix(key), value);
        }
    }
}
