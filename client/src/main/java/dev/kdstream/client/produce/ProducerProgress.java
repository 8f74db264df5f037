package dev.kdstream.client.produce;

/**
 * A snapshot of a running producer.
 *
 * @param total        records the stream holds, or -1 when it is endless
 * @param elapsedNanos since the service started
 */
public record ProducerProgress(long sent, long acked, long failed, long total, long elapsedNanos) {
}
