package dev.kdstream.contracts.kafka;

import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;

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
}
