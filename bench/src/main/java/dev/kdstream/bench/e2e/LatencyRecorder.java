package dev.kdstream.bench.e2e;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * What one phase of the benchmark saw arrive on a topic: how many records (distinct keys), when
 * the last came, and, for records stamped at or after {@code measureFromMillis} (after the
 * warm-up), two latencies each: arrival at this consumer minus event time, and a second one the
 * record itself carries (the server's {@code servedAt - ts}), or -1. Written by one consumer
 * thread, read by the main thread.
 */
final class LatencyRecorder {

    private final String keyPrefix;
    private final long measureFromMillis;
    private final Set<String> keys = new HashSet<>();
    private long[] arrival = new long[1 << 16];
    private long[] served = new long[1 << 16];
    private int measured;
    private long duplicates;
    private long lastArrivalMillis;

    LatencyRecorder(final String keyPrefix, final long measureFromMillis) {
        this.keyPrefix = keyPrefix;
        this.measureFromMillis = measureFromMillis;
    }

    /** @return false when the key is not this phase's */
    synchronized boolean record(final String key, final long eventMillis, final long servedMillis,
                                final long nowMillis) {
        if (!key.startsWith(keyPrefix)) {
            return false;
        }
        if (!keys.add(key)) {
            duplicates++;
            return true;
        }
        lastArrivalMillis = nowMillis;
        if (eventMillis >= measureFromMillis) {
            if (measured == arrival.length) {
                arrival = Arrays.copyOf(arrival, measured * 2);
                served = Arrays.copyOf(served, measured * 2);
            }
            arrival[measured] = nowMillis - eventMillis;
            served[measured] = servedMillis < 0 ? -1 : servedMillis - eventMillis;
            measured++;
        }
        return true;
    }

    synchronized long received() {
        return keys.size();
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long lastArrivalMillis() {
        return lastArrivalMillis;
    }

    /** Event time to arrival at this consumer. */
    synchronized Percentiles arrivalLatency() {
        return Percentiles.of(Arrays.copyOf(arrival, measured), measured);
    }

    /** Event time to the time the record says it was made (predictions: {@code servedAt}). */
    synchronized Percentiles servedLatency() {
        return measured == 0 || served[0] < 0 ? Percentiles.NONE
                : Percentiles.of(Arrays.copyOf(served, measured), measured);
    }
}
