package dev.kdstream.contracts.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.kdstream.contracts.records.InvalidRecordException;

/**
 * The dead-letter convention: the original key and value bytes, the original headers, and these
 * headers naming what went wrong and where the record came from. A dead letter that would not fit
 * the dead-letter topic's limit is cut to fit ({@link #fit}) and says so in {@link #TRUNCATED} and
 * {@link #ORIGINAL_BYTES}.
 */
public final class DeadLetters {

    public static final String REASON = "kd.error.reason";
    public static final String MESSAGE = "kd.error.message";
    public static final String SOURCE_TOPIC = "kd.source.topic";
    public static final String SOURCE_PARTITION = "kd.source.partition";
    public static final String SOURCE_OFFSET = "kd.source.offset";
    public static final String SERVICE = "kd.service";
    /** What was cut to fit the limit: {@code value}, or {@code value,key,headers}. Absent when nothing was. */
    public static final String TRUNCATED = "kd.truncated";
    /** The original value's size in bytes, on a truncated dead letter. */
    public static final String ORIGINAL_BYTES = "kd.original.bytes";

    /**
     * Room kept under the limit for what a record adds to its key, value and headers in a batch:
     * the batch header (61 bytes), the record's own fields and the varint lengths of each header.
     */
    static final int RECORD_OVERHEAD = 8 * 1024;
    /** A key kept when even the value's removal leaves the letter too large. */
    static final int MAX_KEPT_KEY_BYTES = 1024;
    private static final Set<String> OWN_HEADERS = Set.of(REASON, MESSAGE, SOURCE_TOPIC, SOURCE_PARTITION,
            SOURCE_OFFSET, SERVICE);

    /** A dead letter as it will be sent. */
    public record Letter(byte[] key, byte[] value, Headers headers) {
    }

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

    /**
     * The dead letter itself when it fits {@code maxBytes} (the producer's {@code max.request.size},
     * which it checks on the uncompressed record); otherwise the value is cut to the first bytes
     * that fit, and should the key and headers alone be too large, the original headers are dropped
     * and the key cut to {@value #MAX_KEPT_KEY_BYTES} bytes. A cut letter carries {@link #TRUNCATED}
     * and {@link #ORIGINAL_BYTES}. Sizing it here, before it is sent, matters under exactly-once: a
     * record the producer refuses fails the whole transaction, so the record that caused it would be
     * read again, and refused again, at every restart.
     *
     * @param headers the original headers plus the error headers ({@link #headers})
     */
    public static Letter fit(final byte[] key, final byte[] value, final Headers headers, final int maxBytes) {
        final int valueBytes = value == null ? 0 : value.length;
        if (size(key) + valueBytes + size(headers) + RECORD_OVERHEAD <= maxBytes) {
            return new Letter(key, value, headers);
        }
        final RecordHeaders kept = new RecordHeaders();
        headers.forEach(kept::add);
        kept.add(ORIGINAL_BYTES, bytes(Integer.toString(valueBytes)));
        kept.add(TRUNCATED, bytes("value"));
        long room = (long) maxBytes - RECORD_OVERHEAD - size(key) - size(kept);
        if (room >= 0) {
            return new Letter(key, Arrays.copyOf(value, (int) Math.min(valueBytes, room)), kept);
        }
        final RecordHeaders own = new RecordHeaders();
        for (final Header h : headers) {
            if (OWN_HEADERS.contains(h.key())) {
                own.add(h);
            }
        }
        own.add(ORIGINAL_BYTES, bytes(Integer.toString(valueBytes)));
        own.add(TRUNCATED, bytes("value,key,headers"));
        final byte[] shortKey = key == null ? null : Arrays.copyOf(key, Math.min(key.length, MAX_KEPT_KEY_BYTES));
        room = Math.max(0, (long) maxBytes - RECORD_OVERHEAD - size(shortKey) - size(own));
        return new Letter(shortKey, value == null ? null : Arrays.copyOf(value, (int) Math.min(valueBytes, room)),
                own);
    }

    private static long size(final byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static long size(final Headers headers) {
        long n = 0;
        for (final Header h : headers) {
            n += h.key().getBytes(StandardCharsets.UTF_8).length + size(h.value());
        }
        return n;
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
