package dev.kdstream.teacher.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import dev.kdstream.common.kafka.JsonSerde;
import dev.kdstream.common.records.FeatureRecord;

class BufferedFeatureSerdeTest {

    private static BufferedFeature roundTrip(final BufferedFeature value) {
        final byte[] bytes = BufferedFeatureSerde.serializer().serialize("t", value);
        return BufferedFeatureSerde.deserializer().deserialize("t", bytes);
    }

    private static void assertSame(final BufferedFeature actual, final BufferedFeature expected) {
        assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
        assertThat(actual.feature().id()).isEqualTo(expected.feature().id());
        assertThat(actual.feature().ts()).isEqualTo(expected.feature().ts());
        assertThat(actual.feature().features()).containsExactly(expected.feature().features());
        assertThat(actual.feature().label()).isEqualTo(expected.feature().label());
        assertThat(actual.feature().split()).isEqualTo(expected.feature().split());
    }

    @Test
    void roundTripsEveryField() {
        final BufferedFeature labelled = new BufferedFeature(new FeatureRecord("r-é-1", 1_700_000_000_123L,
                new double[] {0.1, -2.5e-300, 1e300, 0.0}, 3, FeatureRecord.HOLDOUT), 42L);
        assertSame(roundTrip(labelled), labelled);
        final BufferedFeature unlabelled = new BufferedFeature(new FeatureRecord("u", 5L, new double[] {1.5}, null,
                FeatureRecord.TRAIN), 6L);
        assertSame(roundTrip(unlabelled), unlabelled);
        assertThat(BufferedFeatureSerde.serializer().serialize("t", null)).isNull();
        assertThat(BufferedFeatureSerde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void writesTheDataOutputStreamLayoutThatEarlierChangelogsHold() throws IOException {
        for (final String id : new String[] {"rec-17", "r-é-\u0000-✓"}) {
            final BufferedFeature value = new BufferedFeature(new FeatureRecord(id, 11L, new double[] {0.25, -3.0},
                    1, FeatureRecord.HOLDOUT), 12L);
            final ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(expected)) {
                out.writeByte(1);
                out.writeUTF(id);
                out.writeLong(11L);
                out.writeInt(2);
                out.writeDouble(0.25);
                out.writeDouble(-3.0);
                out.writeInt(1);
                out.writeByte(1);
                out.writeLong(12L);
            }
            assertThat(BufferedFeatureSerde.toBytes(value)).containsExactly(expected.toByteArray());
            assertSame(BufferedFeatureSerde.fromBytes(expected.toByteArray()), value);
        }
    }

    @Test
    void readsTheJsonAnEarlierVersionWroteToTheChangelog() {
        final BufferedFeature value = new BufferedFeature(new FeatureRecord("old", 9L, new double[] {1.0, 2.0}, 0,
                FeatureRecord.TRAIN), 10L);
        final byte[] json = JsonSerde.serdeFor(BufferedFeature.class).serializer().serialize("t", value);
        assertSame(BufferedFeatureSerde.deserializer().deserialize("t", json), value);
    }

    @Test
    void anIdTooLongForTheLayoutIsAnErrorNotATruncation() {
        for (final String id : new String[] {"a".repeat(70_000), "é".repeat(40_000)}) {
            final BufferedFeature value = new BufferedFeature(new FeatureRecord(id, 1L, new double[] {1.0}, null,
                    FeatureRecord.TRAIN), 2L);
            assertThatThrownBy(() -> BufferedFeatureSerde.toBytes(value)).isInstanceOf(SerializationException.class);
        }
    }

    @Test
    void aCorruptValueIsASerializationError() {
        assertThatThrownBy(() -> BufferedFeatureSerde.deserializer().deserialize("t", new byte[] {1, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> BufferedFeatureSerde.deserializer().deserialize("t", new byte[] {7}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format 7");
    }
}
