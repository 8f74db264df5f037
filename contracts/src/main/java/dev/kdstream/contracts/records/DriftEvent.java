package dev.kdstream.contracts.records;

/**
 * A record on the {@code drift-events} topic: a change one of the trainer's detectors found. Key:
 * the trainer id. Written in the transaction of the trainer's next checkpoint, so a detection is
 * published once, with the input position it was made at.
 *
 * @param signal    what changed: {@code student_error} (the distilled student's errors on labelled
 *                  records), {@code teacher_error} (the ensemble's), {@code disagreement} (student
 *                  against teacher on unlabelled records)
 * @param detector  {@code adwin} or {@code page-hinkley}
 * @param position  values of this signal the detector had taken when it fired
 * @param recordId  the soft-target record that completed the evidence, and its event time
 * @param before    the signal's mean before the change (the detector's estimate just before)
 * @param after     its mean since, as far as the detector can tell (NaN when it forgot everything)
 * @param detectedAt wall-clock ms
 */
public record DriftEvent(String trainerId, String signal, String detector, long position, String recordId,
                         long recordTs, double before, double after, long detectedAt, String ensembleVersion) {

    public static final String STUDENT_ERROR = "student_error";
    public static final String TEACHER_ERROR = "teacher_error";
    public static final String DISAGREEMENT = "disagreement";
}
