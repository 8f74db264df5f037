package dev.kdstream.teacher.streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import dev.kdstream.common.kafka.JsonSerde;
import dev.kdstream.common.records.FeatureRecord;

/**
 * The annotator's buffer store values in a compact binary form. Every record is written to the
 * store's changelog and read back when its batch is annotated, so this is on the hot path: as JSON
 * (20 doubles printed and parsed again) the buffer's serde was a quarter of the teacher thread's
 * time (JFR, {@code ./kd bench e2e}). The changelog is internal to the teacher; the public topics
 * stay JSON.
 *
 * <p>Layout: a format byte {@code 1}, the id (modified UTF-8), the event time, the feature count
 * and the features as IEEE doubles, the label (-1 for none), the split (0 train, 1 holdout), the
 * Kafka timestamp. A value starting with {@code '{'} is the JSON an earlier version wrote, still
 * read so that a changelog written by it restores.
 */
final class BufferedFeatureSerde {

    private static final byte FORMAT = 1;
    /** What writeUTF's two-byte length can say. */
    private static final int MAX_ID_BYTES = 65_535;
    private static final Serde<BufferedFeature> LEGACY_JSON = JsonSerde.serdeFor(BufferedFeature.class);

    private BufferedFeatureSerde() {
    }

    static Serde<BufferedFeature> serde() {
        return Serdes.serdeFrom(serializer(), deserializer());
    }

    static Serializer<BufferedFeature> serializer() {
        return (topic, value) -> value == null ? null : toBytes(value);
    }

    static Deserializer<BufferedFeature> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return LEGACY_JSON.deserializer().deserialize(topic, bytes);
            }
            return fromBytes(bytes);
        };
    }

    static byte[] toBytes(final BufferedFeature value) {
        final FeatureRecord f = value.feature();
        final String id = f.id();
        // ASCII ids (the usual) are their own modified UTF-8 bytes, written char by char below
        final byte[] encoded = plainAscii(id) ? null : modifiedUtf8ByTheJdk(id);
        final int idLength = encoded == null ? id.length() : encoded.length;
        if (idLength > MAX_ID_BYTES) {
            // FeatureParser refuses such ids first (FeatureRecord.MAX_ID_CHARS); never truncate one
            throw new SerializationException("an id of " + idLength + " bytes does not fit the buffer's "
                    + MAX_ID_BYTES);
        }
        final double[] features = f.features();
        // a ByteBuffer, not a DataOutputStream: that one writes a long byte by byte through a
        // synchronized stream, and was most of this method in the teacher's profile
        final ByteBuffer out = ByteBuffer.allocate(1 + 2 + idLength + 8 + 4 + 8 * features.length + 4 + 1 + 8);
        out.put(FORMAT);
        out.putShort((short) idLength);
        if (encoded == null) {
            for (int i = 0; i < idLength; i++) {
                out.put((byte) id.charAt(i));
            }
        } else {
            out.put(encoded);
        }
        out.putLong(f.ts());
        out.putInt(features.length);
        for (final double x : features) {
            out.putDouble(x);
        }
        out.putInt(f.label() == null ? -1 : f.label());
        out.put((byte) (f.holdout() ? 1 : 0));
        out.putLong(value.timestamp());
        return out.array();
    }

    static BufferedFeature fromBytes(final byte[] bytes) {
        try {
            final ByteBuffer in = ByteBuffer.wrap(bytes);
            final byte format = in.get();
            if (format != FORMAT) {
                throw new SerializationException("unknown buffered-feature format " + format);
            }
            final String id = readModifiedUtf8(in);
            final long ts = in.getLong();
            final int count = in.getInt();
            if (count < 0 || count > in.remaining() / Double.BYTES) {
                throw new SerializationException("a corrupt buffered feature (" + bytes.length + " bytes, "
                        + count + " features)");
            }
            final double[] features = new double[count];
            for (int i = 0; i < features.length; i++) {
                features[i] = in.getDouble();
            }
            final int label = in.getInt();
            final String split = in.get() == 1 ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN;
            final long timestamp = in.getLong();
            return new BufferedFeature(new FeatureRecord(id, ts, features, label < 0 ? null : label, split),
                    timestamp);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("a corrupt buffered feature (" + bytes.length + " bytes)", e);
        }
    }

    /** Whether {@link DataOutputStream#writeUTF} writes {@code s} as one byte per char (1..127). */
    private static boolean plainAscii(final String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == 0 || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * The id as {@link DataOutputStream#writeUTF} encodes it, without its length: the layout of
     * changelogs already written.
     */
    private static byte[] modifiedUtf8ByTheJdk(final String s) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(2 + 3 * s.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(s);
        } catch (IOException e) {
            // also an id longer than writeUTF's 65,535 bytes, which FeatureParser's size cap rules out
            throw new SerializationException("cannot buffer the id of a feature record", e);
        }
        final byte[] withLength = bytes.toByteArray();
        return Arrays.copyOfRange(withLength, 2, withLength.length);
    }

    private static String readModifiedUtf8(final ByteBuffer in) {
        final int length = Short.toUnsignedInt(in.getShort());
        final int from = in.position();
        in.position(from + length);
        final byte[] bytes = in.array();
        for (int i = from; i < from + length; i++) {
            if (bytes[i] <= 0) {
                try {
                    return DataInputStream.readUTF(new DataInputStream(new ByteArrayInputStream(bytes, from - 2,
                            length + 2)));
                } catch (IOException e) {
                    throw new SerializationException("a corrupt id in a buffered feature", e);
                }
            }
        }
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }
}
