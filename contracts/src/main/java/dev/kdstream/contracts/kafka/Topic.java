package dev.kdstream.contracts.kafka;

import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes every service reads and writes it with. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
}
