package dev.kdstream.teacher.streams;

import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import dev.kdstream.contracts.records.SoftTargetRecordSerializer;

/**
 * The teacher's serializer for {@code soft-targets}: the JSON of {@code Topics}' serde for
 * {@code SoftTargetRecord}, with the features copied from the input when it has them.
 */
final class OutgoingSoftTargetSerializer implements Serializer<OutgoingSoftTarget> {

    @Override
    public byte[] serialize(final String topic, final OutgoingSoftTarget value) {
        if (value == null) {
            return null;
        }
        try {
            return SoftTargetRecordSerializer.toBytes(value.record(), value.featuresJson());
        } catch (IOException e) {
            throw new SerializationException("cannot write a soft target to " + topic, e);
        }
    }
}
