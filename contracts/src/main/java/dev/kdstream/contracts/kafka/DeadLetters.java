package dev.kdstream.contracts.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.kdstream.contracts.records.InvalidRecordException;

/**
 * The dead-letter convention: the original key and value bytes, the original headers, and these
 * headers naming what went wrong and where the record came from.
 */
public final class DeadLetters {

    public static final String REASON = "kd.error.reason";
    public static final String MESSAGE = "kd.error.message";
    public static final String SOURCE_TOPIC = "kd.source.topic";
    public static final String SOURCE_PARTITION = "kd.source.partition";
    public static final String SOURCE_OFFSET = "kd.source.offset";
    public static final String SERVICE = "kd.service";

    private DeadLetters() {
    }

    /** The original headers plus the error headers. */
    public static Headers headers(final Headers original, final InvalidRecordException error, final String topic,
                                  final int partition, final long offset, final String service) {
        final RecordHeaders h = new RecordHeaders();
        if (original != null) {
            for (final Header header : original) {
                h.add(header);
            }
        }
        h.add(REASON, bytes(error.reason().tag()));
        h.add(MESSAGE, bytes(error.getMessage()));
        h.add(SOURCE_TOPIC, bytes(topic));
        h.add(SOURCE_PARTITION, bytes(Integer.toString(partition)));
        h.add(SOURCE_OFFSET, bytes(Long.toString(offset)));
        h.add(SERVICE, bytes(service));
        return h;
    }

    /** The value of a header as text, or null. */
    public static String header(final Headers headers, final String name) {
        final Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(final String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
