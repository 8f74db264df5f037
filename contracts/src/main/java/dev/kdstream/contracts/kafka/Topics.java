package dev.kdstream.contracts.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.Prediction;
import dev.kdstream.contracts.records.SoftTargetCodec;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.contracts.records.StudentCheckpoint;

/**
 * The typed topic registry: every service reads and writes a topic the same way.
 * {@code features}, {@code labels} and their dead-letter topics carry raw bytes, because the value is validated by
 * the reader ({@code FeatureParser}) and, when invalid, forwarded byte for byte. {@code soft-targets}
 * is internal (only the trainer reads it) and binary ({@link SoftTargetCodec}); the others are JSON.
 */
public record Topics(Topic<byte[], byte[]> features, Topic<String, SoftTargetRecord> softTargets,
                     Topic<String, Prediction> predictions, Topic<String, StudentCheckpoint> checkpoints,
                     Topic<byte[], byte[]> featuresDlq, Topic<String, Prediction> shadowPredictions,
                     Topic<String, DriftEvent> driftEvents, Topic<byte[], byte[]> labels,
                     Topic<byte[], byte[]> labelsDlq) {

    public static Topics of(final TopicNames names) {
        return new Topics(
                new Topic<>(names.features(), Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(names.softTargets(), Serdes.String(), softTargetSerde()),
                new Topic<>(names.predictions(), Serdes.String(), JsonSerde.serdeFor(Prediction.class)),
                new Topic<>(names.checkpoints(), Serdes.String(), JsonSerde.serdeFor(StudentCheckpoint.class)),
                new Topic<>(names.featuresDlq(), Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(names.shadowPredictions(), Serdes.String(), JsonSerde.serdeFor(Prediction.class)),
                new Topic<>(names.driftEvents(), Serdes.String(), JsonSerde.serdeFor(DriftEvent.class)),
                new Topic<>(names.labels(), Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(names.labelsDlq(), Serdes.ByteArray(), Serdes.ByteArray()));
    }

    public static Topics defaults() {
        return of(TopicNames.defaults());
    }

    private static Serde<SoftTargetRecord> softTargetSerde() {
        return Serdes.serdeFrom((topic, r) -> r == null ? null : SoftTargetCodec.encode(r), (topic, bytes) -> {
            try {
                return bytes == null ? null : SoftTargetCodec.decode(bytes);
            } catch (InvalidRecordException e) {
                throw new SerializationException("cannot read a soft target from " + topic + ": " + e.getMessage(), e);
            }
        });
    }
}
