package dev.kdstream.contracts.config;

/**
 * Every setting of the services, in one place: its key in a properties file, the environment
 * variable that overrides it, and its default. Kafka client properties pass through separately
 * (see {@link KdConfig#kafkaProperties()}).
 */
public enum ConfigKey {

    BOOTSTRAP_SERVERS("bootstrap.servers", "localhost:9092", "Kafka bootstrap servers"),

    TOPIC_FEATURES("topic.features", "features", "input feature records"),
    TOPIC_SOFT_TARGETS("topic.soft-targets", "soft-targets", "feature records with the ensemble's soft targets"),
    TOPIC_PREDICTIONS("topic.predictions", "predictions", "the student's predictions, one per feature record"),
    TOPIC_CHECKPOINTS("topic.checkpoints", "student-checkpoints", "student weights + trainer offsets (compacted)"),
    TOPIC_FEATURES_DLQ("topic.features-dlq", "features-dlq", "invalid feature records, with the reason in headers"),
    TOPIC_SHADOW_PREDICTIONS("topic.shadow-predictions", "shadow-predictions", "predictions of the students the "
            + "server runs in the shadow of the served one, each stamped with its student"),
    TOPIC_CONTROL("topic.control", "control", "live settings, written by ./kd control (compacted; its history kept "
            + "30 days)"),
    TOPIC_DRIFT_EVENTS("topic.drift-events", "drift-events", "the changes the trainer's detectors found, one record each"),
    TOPIC_LABELS("topic.labels", "labels", "labels that arrive after their feature record, joined to it by id"),
    TOPIC_LABELS_DLQ("topic.labels-dlq", "labels-dlq", "labels that could not be used (invalid, unknown id, too late, "
            + "duplicated), with the reason in headers"),
    TOPIC_PARTITIONS("topic.partitions", "2", "partitions of the topics created on start"),
    TOPIC_REPLICATION_FACTOR("topic.replication-factor", "1", "replication factor of the topics created on start"),

    STATE_DIR("state.dir", ".kd/state", "Kafka Streams state directory"),
    INSTANCE_ID("instance.id", "", "this instance's stable member id in its Kafka Streams groups (static membership: "
            + "a restarted instance takes its partitions back at once); unique per instance of a service; default "
            + "<host name>-<hash of state.dir>"),
    MODEL_DIR("model.dir", ".kd/models", "where the ensemble is saved and loaded"),
    ENSEMBLE_FILE("ensemble.file", "", "the ensemble model file (default: <model.dir>/ensemble.kdm)"),
    METRICS_PORT("metrics.port", "", "HTTP port of /metrics and /health (each service has its own default)"),
    METRICS_BIND("metrics.bind", "127.0.0.1", "address /metrics and /health listen on: 127.0.0.1 (this host "
            + "only) or 0.0.0.0 (every interface, as a container needs for Prometheus to reach it)"),
    MAX_RECORD_BYTES("max.record.bytes", "262144", "larger feature records go to the dead-letter topic"),

    TEACHER_BATCH_SIZE("teacher.batch.size", "512", "records per batched ensemble inference"),
    TEACHER_LINGER_MS("teacher.linger.ms", "20", "longest wait for a batch to fill before it is annotated"),
    TEACHER_MAX_WAIT_MS("teacher.max.wait.ms", "500",
            "when the teacher is behind on its input, the longest wait for a full batch instead"),
    TEACHER_BUDGET("teacher.budget", "1.0", "share of the training records the ensemble annotates, in (0, 1]; "
            + "holdout records are always annotated, outside the budget; a labelled record left out still trains "
            + "both students on its label"),
    TEACHER_SAMPLER("teacher.sampler", "uniform", "which records the budget buys: uniform (each with probability = "
            + "budget), uncertainty (those the served student is least sure of, plus a uniform share) or adaptive "
            + "(uniform, the budget itself moving with student-teacher agreement)"),
    TEACHER_EXPLORE("teacher.explore", "0.2", "uncertainty sampler: the share of the budget drawn uniformly, so that "
            + "confident mistakes are still found and the honest metrics have records to stand on"),
    TEACHER_BUDGET_FLOOR("teacher.budget.floor", "0.05", "adaptive sampler: the lowest the budget goes"),
    TEACHER_AGREEMENT_TARGET("teacher.agreement.target", "0.97", "adaptive sampler: student-teacher agreement above "
            + "which the budget halves, below which it doubles"),
    TEACHER_DRIFT_BOOST("teacher.drift.boost", "20000", "after a drift the trainer reports on drift-events, the "
            + "teacher annotates this many records in full, whatever its budget (0: off)"),
    TEACHER_REFRESH("teacher.refresh", "true", "after a drift the trainer reports, retrain the ensemble in the "
            + "background on the next teacher.refresh.records labelled records, and swap it in if it is better"),
    TEACHER_REFRESH_RECORDS("teacher.refresh.records", "1000", "labelled records after a drift a refreshed "
            + "ensemble learns from (the newest fifth validates it)"),
    TEACHER_TRAIN_IF_MISSING("teacher.train-if-missing", "false", "train the ensemble on the default data when no model file exists"),

    DISTILLATION_TEMPERATURE("distillation.temperature", "", "T of the soft targets: the teacher writes "
            + "softmax(mean logits / T), a trainer learns at its T (from the teacher's logits when a record's differs); "
            + "default: the ensemble file's"),
    DISTILLATION_ALPHA("distillation.alpha", "", "weight of the distilled student's soft term, in [0, 1]; default: "
            + "the ensemble file's"),
    DISTILLATION_TRUST("distillation.trust", "", "weigh the soft term by how well the teacher does against the "
            + "labels recently: alpha while it is within a point of the hard-label baseline, down to 0 when it is 5 "
            + "points below (a stale teacher cannot drag the student below the labels); false: alpha always; "
            + "default (blank): true"),
    STUDENT_HIDDEN("student.hidden", "", "hidden layer widths of this trainer's students, e.g. 64,32 (a checkpoint of "
            + "another shape is refused: a new shape needs a new trainer.id); default: the tutorial's"),
    STUDENT_LEARNING_RATE("student.learning.rate", "", "both students' Adam step size, > 0; default: the tutorial's"),
    STUDENT_WEIGHT_DECAY("student.weight.decay", "", "both students' L2 penalty (weights and biases), >= 0; default: "
            + "the tutorial's"),
    DRIFT_DETECTOR("drift.detector", "adwin", "the trainer's change detector on the students' and the teacher's errors "
            + "and their disagreement: adwin or page-hinkley"),
    LABELS_WINDOW_MS("labels.window.ms", "120000", "how long a record waits for a label from the labels topic, "
            + "in event time (0: no late labels; the teacher then leaves out what it does not annotate)"),
    STUDENT_BATCH_SIZE("student.batch.size", "64", "trainer micro-batch size (records per optimiser step)"),
    CHECKPOINT_EVERY_RECORDS("checkpoint.every.records", "5000", "publish a checkpoint after this many records"),
    CHECKPOINT_EVERY_SECONDS("checkpoint.every.seconds", "5", "... or after this many seconds, whichever comes first"),
    METRICS_WINDOW("metrics.window", "1000", "records in the rolling accuracy windows"),
    TRAINER_ID("trainer.id", "student", "key of this trainer's checkpoints"),

    SERVER_STUDENT("server.student", "", "the trainer.id whose distilled student the server serves; default: "
            + "trainer.id"),
    SERVER_SHADOWS("server.shadows", "", "trainer ids whose students the server also runs on every record, to the "
            + "shadow predictions topic (comma-separated; default: none)"),
    SERVER_GUARANTEE("server.processing.guarantee", "at_least_once",
            "the prediction server's guarantee: at_least_once (visible at once; after a crash some records are "
                    + "predicted twice) or exactly_once_v2 (one prediction per record, visible when its "
                    + "transaction commits)");

    private final String key;
    private final String defaultValue;
    private final String description;

    ConfigKey(final String key, final String defaultValue, final String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The key in a properties file, e.g. {@code topic.features}. */
    public String key() {
        return key;
    }

    /** The environment variable, e.g. {@code KD_TOPIC_FEATURES}. */
    public String env() {
        return "KD_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
