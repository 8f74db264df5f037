package dev.kdstream.producer.stream;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.kdstream.common.json.Json;
import dev.kdstream.common.records.FeatureRecord;

/**
 * One record to send to {@code features}, before it has an event time: the producer stamps
 * {@code ts} with the wall clock when it sends, so event time means "when it entered the stream".
 *
 * @param label the class index, or null when the record is sent unlabelled
 * @param split {@link FeatureRecord#TRAIN} or {@link FeatureRecord#HOLDOUT}
 */
public record FeatureMessage(String id, double[] features, Integer label, String split) {

    /** The Kafka key: the id, UTF-8. */
    public byte[] key() {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    public FeatureRecord toRecord(final long ts) {
        return new FeatureRecord(id, ts, features, label, split);
    }

    /** The Kafka value: the feature record as JSON, with {@code "label":null} when unlabelled. */
    public byte[] value(final long ts) {
        try {
            return Json.MAPPER.writeValueAsBytes(toRecord(ts));
        } catch (JsonProcessingException e) {
            // a record of strings, numbers and a double[] always serialises: this is a bug
            throw new UncheckedIOException("cannot write feature record " + id, e);
        }
    }

    public boolean holdout() {
        return FeatureRecord.HOLDOUT.equals(split);
    }
}
