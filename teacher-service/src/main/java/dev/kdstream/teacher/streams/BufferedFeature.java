package dev.kdstream.teacher.streams;

import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.Selection;

/**
 * A valid feature record waiting in the annotator's buffer for its batch.
 *
 * @param offset       its input offset, what the annotator's position is made of
 * @param feature      the parsed record
 * @param timestamp    the input record's Kafka timestamp, which its soft target is published with
 * @param selection    why it is in the buffer: to annotate, or {@link Selection#LABEL_ONLY} to pass on
 * @param studentClass the served student's class for it when the sampler looked, else -1
 */
record BufferedFeature(long offset, FeatureRecord feature, long timestamp, Selection selection, int studentClass) {
}
