package dev.kdstream.contracts.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * A global store of a topic's raw values, kept by a processor that decodes them: a value it cannot
 * read is its to refuse with a reason, where a serde's exception would stop the global thread.
 */
public final class RawGlobalStore {

    private RawGlobalStore() {
    }

    /**
     * Adds the store {@code name} over {@code topic}, its source {@code name-source} and processor
     * {@code name-loader}. In memory and unlogged: the topic is the store's backup, read again on start.
     */
    public static void add(final Topology topology, final String name, final String topic,
                           final ProcessorSupplier<String, byte[], Void, Void> loader) {
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                name + "-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic,
                name + "-loader", loader);
    }
}
