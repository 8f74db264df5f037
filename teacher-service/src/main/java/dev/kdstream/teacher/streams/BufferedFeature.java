package dev.kdstream.teacher.streams;

import dev.kdstream.common.records.FeatureRecord;

/**
 * A valid feature record waiting in the annotator's buffer store. The Kafka timestamp is kept
 * beside it because the soft target is published with its input's timestamp, also when the
 * record was restored from the changelog and annotated by another instance.
 *
 * @param feature   the parsed record (raw features)
 * @param timestamp the input record's Kafka timestamp
 */
public record BufferedFeature(FeatureRecord feature, long timestamp) {
}
