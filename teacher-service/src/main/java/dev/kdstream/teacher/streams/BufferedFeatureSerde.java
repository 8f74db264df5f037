package dev.kdstream.teacher.streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

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
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 8 * f.features().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(f.id());
            out.writeLong(f.ts());
            out.writeInt(f.features().length);
            for (final double x : f.features()) {
                out.writeDouble(x);
            }
            out.writeInt(f.label() == null ? -1 : f.label());
            out.writeByte(f.holdout() ? 1 : 0);
            out.writeLong(value.timestamp());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static BufferedFeature fromBytes(final byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final byte format = in.readByte();
            if (format != FORMAT) {
                throw new SerializationException("unknown buffered-feature format " + format);
            }
            final String id = in.readUTF();
            final long ts = in.readLong();
            final double[] features = new double[in.readInt()];
            for (int i = 0; i < features.length; i++) {
                features[i] = in.readDouble();
            }
            final int label = in.readInt();
            final String split = in.readByte() == 1 ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN;
            final long timestamp = in.readLong();
            return new BufferedFeature(new FeatureRecord(id, ts, features, label < 0 ? null : label, split),
                    timestamp);
        } catch (IOException e) {
            throw new SerializationException("a corrupt buffered feature (" + bytes.length + " bytes)", e);
        }
    }
}
