package dev.kdstream.teacher.streams;

import dev.kdstream.contracts.records.FeatureRecord;

/**
 * A valid feature record waiting in the annotator's buffer for its batch.
 *
 * @param offset    its input offset, what the annotator's position is made of
 * @param feature   the parsed record
 * @param timestamp the input record's Kafka timestamp, which its soft target is published with
 */
record BufferedFeature(long offset, FeatureRecord feature, long timestamp) {
}
