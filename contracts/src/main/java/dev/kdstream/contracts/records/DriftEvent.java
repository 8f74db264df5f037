package dev.kdstream.contracts.records;

/**
 * A record on the {@code drift-events} topic: a rise one of the trainer's detectors found. Key: the
 * trainer id. Written in the transaction of the trainer's next checkpoint: visible with the
 * checkpoint whose input position is past the record that completed it. The detectors' state is not
 * checkpointed: a trainer that dies before that checkpoint loses the detection (its successor
 * starts its detectors afresh from the checkpoint before), and a commit that timed out after
 * succeeding publishes it again with the next one.
 *
 * @param signal    what changed: {@code student_error} (the distilled student's errors on labelled
 *                  records), {@code teacher_error} (the ensemble's), {@code disagreement} (student
 *                  against teacher on unlabelled records)
 * @param detector  {@code adwin} or {@code page-hinkley}
 * @param position  values of this signal the detector had taken when it fired (since the trainer started)
 * @param recordId  the soft-target record that completed the evidence, and its event time
 * @param before    the detector's estimate of the signal's mean just before it fired (over its whole
 *                  window, some of it after the change)
 * @param after     its estimate just after, over what it kept (NaN for Page-Hinkley, which forgets
 *                  everything when it fires)
 * @param detectedAt wall-clock ms
 */
public record DriftEvent(String trainerId, String signal, String detector, long position, String recordId,
                         long recordTs, double before, double after, long detectedAt, String ensembleVersion) {

    public static final String STUDENT_ERROR = "student_error";
    public static final String TEACHER_ERROR = "teacher_error";
    public static final String DISAGREEMENT = "disagreement";
}
