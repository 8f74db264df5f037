package dev.kdstream.student.trainer;

import dev.kdstream.contracts.records.SoftTargetRecord;

/**
 * A record waiting for its late label: the record, and what the three models predicted for it when
 * it came, if it was scored then ({@link StudentPair#score}): the label scores those predictions, the
 * ones that were served, not the students' answers once they have learnt more. A record read again
 * after a restart only to rebuild the join was not scored: its label trains, and scores nothing.
 */
final class Waiting {

    private final SoftTargetRecord record;
    private int teacher = -1;
    private int distilled = -1;
    private int baseline = -1;

    Waiting(final SoftTargetRecord record) {
        this.record = record;
    }

    SoftTargetRecord record() {
        return record;
    }

    void scored(final int teacherClass, final int distilledClass, final int baselineClass) {
        teacher = teacherClass;
        distilled = distilledClass;
        baseline = baselineClass;
    }

    boolean wasScored() {
        return distilled >= 0;
    }

    int teacher() {
        return teacher;
    }

    int distilled() {
        return distilled;
    }

    int baseline() {
        return baseline;
    }
}
