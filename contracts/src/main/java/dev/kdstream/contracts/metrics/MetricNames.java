package dev.kdstream.contracts.metrics;

/**
 * Every meter name and tag of the project, in one place. Names are Micrometer's dotted lowercase
 * words; Prometheus renders {@code kd.accuracy} as {@code kd_accuracy}, counters with {@code _total}.
 * Tags are low-cardinality: never a record id.
 */
public final class MetricNames {

    /** Gauge, fraction 0..1. Tags: {@link #MODEL}, {@link #EVAL}. */
    public static final String ACCURACY = "kd.accuracy";
    /**
     * Gauge: (student - baseline) / (ensemble - baseline); NaN where it is undefined (no records, or
     * an ensemble that does not beat the baseline). Tag: {@link #EVAL}.
     */
    public static final String KNOWLEDGE_RECOVERED = "kd.knowledge.recovered";
    /** Gauge: lower end of {@link #KNOWLEDGE_RECOVERED}'s 95 % interval; NaN where unbounded. Tag: {@link #EVAL}. */
    public static final String KNOWLEDGE_RECOVERED_LOWER = "kd.knowledge.recovered.lower";
    /** Gauge: upper end of {@link #KNOWLEDGE_RECOVERED}'s 95 % interval; NaN where unbounded. Tag: {@link #EVAL}. */
    public static final String KNOWLEDGE_RECOVERED_UPPER = "kd.knowledge.recovered.upper";
    /** Gauge: the labelled records an evaluation's accuracies rest on (a window's fill). Tag: {@link #EVAL}. */
    public static final String EVALUATED_RECORDS = "kd.evaluated.records";
    /** Gauge: fraction of records where student and ensemble pick the same class (rolling window). */
    public static final String AGREEMENT = "kd.student.agreement";
    /** Gauge: mean KL(teacher soft targets || student at T), rolling window. */
    public static final String KL_TO_TEACHER = "kd.student.kl.divergence";
    /** Counter: records a model was trained on. Tag: {@link #MODEL}. */
    public static final String RECORDS_TRAINED = "kd.trainer.records.trained";
    /** Gauge, always 1: the ensemble a teacher annotates with, in tag {@link #VERSION}. */
    public static final String ENSEMBLE = "kd.teacher.ensemble";
    /** Gauge: the newest model version (trainer: written; server: serving). Tags: {@link #MODEL}, {@link #SERVICE}. */
    public static final String MODEL_VERSION = "kd.model.version";
    /** Counter: checkpoints written. */
    public static final String CHECKPOINTS = "kd.trainer.checkpoints";
    /** Counter: checkpoints the broker did not acknowledge (each is retried a checkpoint interval later). */
    public static final String CHECKPOINT_PUBLISH_FAILURES = "kd.trainer.checkpoint.publish.failures";
    /** Gauge, seconds: since the newest acknowledged checkpoint (since the trainer's start before one). */
    public static final String CHECKPOINT_AGE = "kd.trainer.checkpoint.age";
    /** Counter: checkpoints a server refused to serve, by {@link #REASON}. */
    public static final String CHECKPOINTS_REFUSED = "kd.checkpoints.refused";
    /** Timer: event time (record ts) to prediction published. */
    public static final String PREDICTION_LATENCY = "kd.prediction.latency";
    /** Counter: records each stage handled. Tags: {@link #SERVICE}, {@link #STAGE}. */
    public static final String RECORDS = "kd.records";
    /** Counter: dead-lettered records. Tags: {@link #SERVICE}, {@link #REASON}. */
    public static final String DEAD_LETTERS = "kd.dead.letters";
    /** Timer: one batched ensemble inference. */
    public static final String TEACHER_BATCH_LATENCY = "kd.teacher.batch.latency";
    /** Distribution summary: records per ensemble batch. */
    public static final String TEACHER_BATCH_SIZE = "kd.teacher.batch.size";
    /** Gauge: the offset of the control record a service runs with, -1 for its own configuration; tagged {@link #PART}. */
    public static final String CONTROL_VERSION = "kd.control.version";
    /** Counter: control records refused, tagged {@link #PART}, {@link #REASON}. */
    public static final String CONTROL_REFUSED = "kd.control.refused";
    /** Counter: changes the trainer's detectors found, tagged {@link #SIGNAL}. */
    public static final String DRIFT_DETECTIONS = "kd.drift.detections";
    /** Counter: records the teacher annotated in full after a drift detection, whatever its budget. */
    public static final String TEACHER_BOOSTED = "kd.teacher.drift.boosted";
    /** Rehearsal records a refreshed ensemble wrote for the trainer (its lesson): not records of the stream. */
    public static final String TEACHER_REHEARSAL = "kd.teacher.rehearsal";
    /** Counter: ensemble refreshes after a drift, by {@link #OUTCOME}: swapped, kept, failed. */
    public static final String TEACHER_REFRESHES = "kd.teacher.refreshes";
    /** Counter: valid labels from the labels topic the teacher passed on to the trainer. */
    public static final String TEACHER_LABELS_FORWARDED = "kd.teacher.labels.forwarded";
    /**
     * Counter: late labels the trainer took, by {@link #OUTCOME}: joined (to a record waiting), early
     * (held until its record came), or dead-lettered as unknown_id, expired, duplicate.
     */
    public static final String TRAINER_LABELS = "kd.trainer.labels";
    /** Counter: records whose label window closed without a label (they trained on their soft targets only). */
    public static final String TRAINER_UNLABELLED = "kd.trainer.records.unlabelled";
    /** Gauge: records waiting for a late label, and labels waiting for their record, tagged {@link #STAGE}. */
    public static final String TRAINER_LABELS_WAITING = "kd.trainer.labels.waiting";
    /** Gauge: the trainer's trust in the teacher, the weight of the soft term relative to alpha, in [0, 1]. */
    public static final String TEACHER_TRUST = "kd.trainer.teacher.trust";
    /** Counter: predictions per student ({@link #STUDENT}), served or shadow ({@link #ROLE}), by {@link #OUTCOME}. */
    public static final String STUDENT_PREDICTIONS = "kd.server.student.predictions";
    /**
     * Counter: predictions per student ({@link #STUDENT}), served or shadow ({@link #ROLE}), made without a
     * label and scored, by {@link #OUTCOME} (correct, wrong), against the late label that came for them.
     */
    public static final String STUDENT_PREDICTIONS_LATE = "kd.server.student.predictions.late";
    /**
     * Counter: labels the server read from the labels topic, by {@link #OUTCOME}: joined (to the answers
     * it gave), early (held for their record), expired, rejected (invalid: the teacher dead-letters
     * them); and early_joined, early_rejected for early ones when their record came.
     */
    public static final String SERVER_LABELS = "kd.server.labels";
    /** Counter: records a shadow student ({@link #STUDENT}) could not answer: another input or classes. */
    public static final String SHADOW_UNFIT = "kd.server.shadow.unfit";
    /** Valid records by the teacher budget's decision, tagged {@link #SELECTION}. */
    public static final String TEACHER_SELECTED = "kd.teacher.selected";
    /** Training records the ensemble did not run on. */
    public static final String TEACHER_CALLS_SAVED = "kd.teacher.calls.saved";
    /** The share of training records the teacher budget aims at now, and has annotated ({@link #STAGE}). */
    public static final String TEACHER_BUDGET = "kd.teacher.budget";
    /**
     * Counter: teacher tasks that found their stored position was for a {@code features} topic
     * deleted and re-created since, and ignored it.
     */
    public static final String TEACHER_INPUT_RECREATED = "kd.teacher.input.recreated";
    /** Counter: Kafka Streams threads replaced after they failed on a broker error. */
    public static final String STREAM_THREADS_REPLACED = "kd.stream.threads.replaced";
    /** Counter: hanging transactions found on the application's partitions and aborted. */
    public static final String HANGING_TRANSACTIONS_ABORTED = "kd.transactions.hanging.aborted";
    /** Timer: producer send to broker acknowledgement. */
    public static final String PRODUCER_ACK_LATENCY = "kd.producer.ack.latency";

    public static final String MODEL = "model";
    public static final String EVAL = "eval";
    public static final String SERVICE = "service";
    /** Which part of a service: teacher, trainer or server (a student-service runs the last two in one process). */
    public static final String PART = "part";
    /** A student's trainer id. */
    public static final String STUDENT = "student";
    public static final String ROLE = "role";
    public static final String OUTCOME = "outcome";
    /** What a drift detector watches: student_error, teacher_error, disagreement. */
    public static final String SIGNAL = "signal";
    public static final String STAGE = "stage";
    public static final String REASON = "reason";
    public static final String SELECTION = "selection";
    public static final String VERSION = "version";

    /** Values of {@link #MODEL}. */
    public static final String TEACHER = "teacher";
    public static final String DISTILLED = "distilled";
    public static final String BASELINE = "baseline";

    /** Values of {@link #PART} (and {@link #TEACHER}). */
    public static final String TRAINER = "trainer";
    public static final String SERVER = "server";

    /** Values of {@link #EVAL}. */
    public static final String PREQUENTIAL_WINDOW = "prequential_window";
    public static final String PREQUENTIAL_CUMULATIVE = "prequential_cumulative";
    public static final String HOLDOUT = "holdout";

    private MetricNames() {
    }
}
