package dev.kdstream.teacher.streams;

import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.teacher.budget.Decision;

/**
 * A valid feature record waiting in the annotator's buffer for its batch.
 *
 * @param offset    its input offset, what the annotator's position is made of
 * @param feature   the parsed record
 * @param timestamp the input record's Kafka timestamp, which its soft target is published with
 * @param decision  what the teacher budget made of it: annotate, or pass on for its label alone
 * @param controlVersion the control version of the budget that decided it, as its header's value;
 *                       null for the teacher's own configuration
 * @param temperature    T of its soft targets, in force under that version
 */
record BufferedFeature(long offset, FeatureRecord feature, long timestamp, Decision decision, byte[] controlVersion,
                       double temperature) {

    boolean toAnnotate() {
        return decision.selection().annotated();
    }
}
