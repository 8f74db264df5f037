package dev.kdstream.student.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.ControlMeters;
import dev.kdstream.contracts.control.ControlReader;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.student.checkpoint.CheckpointSchedule;
import dev.kdstream.student.checkpoint.CheckpointWriter;
import dev.kdstream.student.drift.DriftWatch;
import dev.kdstream.student.labels.LateLabels;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.metrics.TrainerMetrics;
import dev.kdstream.student.trainer.TrainerStatus.State;

/**
 * Trains the distilled student and the hard-label baseline online from {@code soft-targets}: a
 * plain consumer loop on one thread, which owns both DL4J networks.
 *
 * <p>For every poll: decode (invalid records are counted and skipped), predict the unbiased
 * records (all but those a teacher budget chose by uncertainty or passed on unannotated) with both
 * students in one batched call each, score those predictions (test-then-train), then add the
 * records to the micro-batches and take an optimiser step per full batch. Holdout records are
 * scored and never trained on; unlabelled records train the distilled student's soft term only,
 * records without soft targets its cross-entropy only ({@link StudentPair}).
 *
 * <p>It starts where the newest checkpoint left off ({@link TrainerStart}), reads through a
 * {@link SoftTargetInput} and checkpoints through a {@link Checkpointer}.
 */
public final class OnlineTrainer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int LOGGED_BAD_RECORDS = 20;
    private static final Duration CONTROL_CATCH_UP = Duration.ofSeconds(30);
    /** No more of a lesson for this long: all of it has come (it is written in one transaction). */
    private static final Duration LESSON_QUIET = Duration.ofSeconds(1);

    private final String trainerId;
    private final SoftTargetInput input;
    /**
     * The kernel trains and predicts (DL4J's fixed cost per call is larger than a whole step:
     * docs/platform.md, "DL4J fixed cost per call"); the DL4J networks carry the weights and Adam
     * state into checkpoints, synced when a checkpoint asks for them.
     */
    private final StudentPair students;
    private final SoftTargetDecoder decoder;
    private final Checkpointer checkpointer;
    private final ControlReader control;
    private final LiveTuning tuning;
    private final ControlMeters controlMeters;
    private final DriftWatch drift;
    private final TeacherTrust teacherTrust;
    private final TrainerMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Told of every record scored, on the trainer thread (a drift scenario's report). */
    private final List<StudentPair.ScoreListener> scoreListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile boolean checkpointOnStop = true;
    private volatile Evaluation evaluation = Evaluation.EMPTY;
    /** The students' trust in the teacher, for the metrics thread. */
    private volatile double trust = 1;
    private volatile TrainerStatus status;
    private volatile Throwable failure;

    /** The late-label join, or null when {@code labels.window.ms} is 0. */
    private final LateLabels<Waiting> labels;

    private long recordsTrained;
    /** Lesson records gathered at the last look, and when that count was first seen. */
    private int lessonSeen;
    private long lessonSeenAt;
    private long deadLetters;
    private long ignoredLabels;
    private String ensembleVersion;

    private OnlineTrainer(final KdConfig config, final TrainerSetup setup, final SoftTargetInput input,
                          final ControlReader control, final CheckpointWriter writer, final TrainerStart start,
                          final ServiceMetrics registry) {
        this.trainerId = config.get(ConfigKey.TRAINER_ID);
        this.input = input;
        this.control = control;
        final int batch = config.getInt(ConfigKey.STUDENT_BATCH_SIZE);
        if (batch < 1) {
            throw new IllegalArgumentException(ConfigKey.STUDENT_BATCH_SIZE.key() + " must be >= 1, got " + batch);
        }
        this.decoder = new SoftTargetDecoder(setup.inputWidth(), setup.classes());
        final int window = config.getInt(ConfigKey.METRICS_WINDOW);
        if (window < 1) {
            throw new IllegalArgumentException(ConfigKey.METRICS_WINDOW.key() + " must be >= 1, got " + window);
        }
        this.recordsTrained = start.recordsTrained();
        this.ensembleVersion = start.ensembleVersion();
        this.status = TrainerStatus.starting(trainerId, start.version(), recordsTrained);
        this.metrics = new TrainerMetrics(() -> evaluation, this::version, this::checkpointAgeSeconds);
        this.students = new StudentPair(start.distilled(), start.baseline(), setup.scaler(), setup.classes(),
                setup.temperature(), batch, window, metrics::trained);
        this.checkpointer = new Checkpointer(trainerId, writer, CheckpointSchedule.of(config), students, metrics,
                start.version());
        this.teacherTrust = new TeacherTrust(window);
        this.drift = new DriftWatch(trainerId, config.get(ConfigKey.DRIFT_DETECTOR), signal -> {
            metrics.driftDetected(signal);
            if (signal.equals(DriftEvent.TEACHER_ERROR)) {
                teacherTrust.teacherDrifted();
            }
        });
        students.onScored((r, teacher, distilled, baseline) -> {
            drift.observe(r, teacher, distilled, baseline);
            for (final StudentPair.ScoreListener l : scoreListeners) {
                l.scored(r, teacher, distilled, baseline);
            }
        });
        this.controlMeters = new ControlMeters(registry.registry(), MetricNames.TRAINER, this::controlVersion);
        this.tuning = new LiveTuning(trainerId, setup.hyperparameters(),
                StudentTuning.trust(Map.of(ConfigKey.DISTILLATION_TRUST.key(), config.get(ConfigKey.DISTILLATION_TRUST)),
                        true), StudentTuning.setIn(config), controlMeters);
        try {
            catchUp(control, tuning, trainerId);
            // always: a restored checkpoint's networks carry the settings they were created with
            students.retune(tuning.current());
        } catch (RuntimeException e) {
            // the trainer's other meters are not bound yet
            controlMeters.close();
            throw e;
        }
        final long labelWindow = config.lateLabelWindowMs();
        this.labels = labelWindow == 0 ? null : new LateLabels<>(labelWindow, trainerId,
                config.topics().softTargets(), config.topics().labelsDlq(), start.offsets(), start.labelJoin(),
                registry.registry());
        metrics.bindTo(registry.registry());
        metrics.bindTrust(() -> trust);
        metrics.snapshotPerScrape(registry);
        metrics.bindKafkaClient(input.client());
        metrics.bindKafkaClient(writer.producer());
    }

    /**
     * Restores both students and the input position from the newest checkpoint of
     * {@code trainer.id} (or starts fresh from the beginning of soft-targets), ready to {@link #run()}.
     * The soft-targets and checkpoints topics must exist.
     */
    public static OnlineTrainer create(final KdConfig config, final TrainerSetup setup, final ServiceMetrics metrics) {
        return create(config, setup, metrics, false);
    }

    /**
     * @param fromBeginning fresh students from the beginning of soft-targets even when {@code trainer.id}
     *                      has checkpoints: a retraining of the same student ({@link TrainerStart#of})
     */
    public static OnlineTrainer create(final KdConfig config, final TrainerSetup setup, final ServiceMetrics metrics,
                                       final boolean fromBeginning) {
        // the writer first: it fences an earlier trainer with this id and aborts a checkpoint that one
        // had begun, which would otherwise hold the read_committed restore below until it timed out
        final CheckpointWriter writer = new CheckpointWriter(config, config.get(ConfigKey.TRAINER_ID));
        SoftTargetInput input = null;
        ControlReader control = null;
        try {
            final TrainerStart start = TrainerStart.of(config, setup, fromBeginning);
            // with late labels, from where each partition's join began: the records before the checkpoint's
            // offsets rebuild it and train nothing
            input = SoftTargetInput.open(config, config.lateLabelWindowMs() > 0 ? start.readFrom() : start.offsets());
            control = ControlReader.open(config, "student-trainer-control-" + config.get(ConfigKey.TRAINER_ID),
                    CONTROL_CATCH_UP).orElseThrow(() -> new IllegalStateException("topic " + config.topics().control()
                    + " does not exist"));
            return new OnlineTrainer(config, setup, input, control, writer, start, metrics);
        } catch (RuntimeException e) {
            writer.close();
            if (input != null) {
                input.close();
            }
            if (control != null) {
                control.close();
            }
            throw e;
        }
    }

    @Override
    public void run() {
        status = status.withState(State.RUNNING);
        boolean stoppedCleanly = false;
        try {
            while (running.get()) {
                applyControl();
                final ConsumerRecords<byte[], byte[]> records = input.poll(POLL);
                if (!records.isEmpty()) {
                    process(records);
                }
                teachLesson(false);
                if (checkpointer.due()) {
                    checkpoint();
                }
                publishStatus(State.RUNNING);
            }
            stoppedCleanly = true;
        } catch (WakeupException e) {
            // stop() woke the consumer up
            stoppedCleanly = !running.get();
            if (!stoppedCleanly) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            try {
                if (stoppedCleanly && checkpointOnStop) {
                    teachLesson(true);
                    if (checkpointer.behind()) {
                        checkpoint();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("trainer {}: final checkpoint failed: {}", trainerId, e.getMessage());
            }
            publishStatus(stoppedCleanly ? State.STOPPED : State.FAILED);
            try {
                metrics.close();
                controlMeters.close();
                if (labels != null) {
                    labels.close();
                }
                input.close();
            } finally {
                try {
                    control.close();
                } finally {
                    checkpointer.close();
                }
            }
            LOG.info("trainer {} stopped at v{} after {} records", trainerId, version(), recordsTrained);
        }
    }

    /**
     * Asks the loop to stop; returns at once (join the thread that runs it).
     *
     * @param finalCheckpoint whether to checkpoint what was consumed since the last checkpoint
     *                        (false simulates a crash in tests)
     */
    public void stop(final boolean finalCheckpoint) {
        checkpointOnStop = finalCheckpoint;
        running.set(false);
        try {
            input.wakeup();
        } catch (RuntimeException e) {
            // the loop already ended and closed the consumer
        }
    }

    /**
     * Tells {@code listener} of every record scored from now on, on the trainer thread: what the
     * ensemble and both students predicted for it. Safe from any thread.
     */
    public void onScored(final StudentPair.ScoreListener listener) {
        scoreListeners.add(listener);
    }

    /** The newest snapshot, safe from any thread. */
    public TrainerStatus status() {
        return status;
    }

    /**
     * Whether checkpoints are getting through: false after {@link Checkpointer#FAILURES_BEFORE_DOWN}
     * failed publishes in a row, until one is acknowledged. Safe from any thread.
     */
    public boolean checkpointsPublished() {
        return checkpointer.publishing();
    }

    /** Why the loop stopped, if it failed. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The newest checkpoint version written, safe from any thread. */
    private long version() {
        return checkpointer.version();
    }

    private double checkpointAgeSeconds() {
        return checkpointer.ageSeconds();
    }

    private long controlVersion() {
        final LiveTuning t = tuning;
        return t == null ? LiveTuning.CONFIGURED : t.version();
    }

    /**
     * Takes the control records up to the end of the topic as it is at start, so that a restarted
     * trainer trains under the settings in force from its first record; those it could not read in
     * time arrive through {@link #applyControl}, and a warning says so.
     */
    private static void catchUp(final ControlReader control, final LiveTuning tuning, final String trainerId) {
        try {
            control.readToEnd(CONTROL_CATCH_UP, tuning::take);
        } catch (ControlReader.Incomplete | org.apache.kafka.common.errors.TimeoutException e) {
            LOG.warn("trainer {}: {}: starting under the settings read so far; the rest are applied as they arrive",
                    trainerId, e.getMessage());
        }
    }

    /**
     * Teaches a refreshed ensemble's lesson once no more of it has come for {@link #LESSON_QUIET}
     * (or {@code now}): whole, not in the parts the polls and checkpoints would cut it into. The
     * teacher writes it in one transaction, so it comes in a burst. Until then it is in no
     * checkpoint: a trainer that dies first loses it.
     */
    private void teachLesson(final boolean now) {
        final int gathered = students.lessonGathered();
        if (gathered == 0) {
            return;
        }
        final long t = System.nanoTime();
        if (gathered != lessonSeen) {
            lessonSeen = gathered;
            lessonSeenAt = t;
        }
        if (now || t - lessonSeenAt >= LESSON_QUIET.toNanos()) {
            students.rehearse();
            lessonSeen = 0;
            LOG.info("trainer {}: taught a refreshed ensemble's lesson of {} records, {} passes", trainerId, gathered,
                    StudentPair.REHEARSAL_PASSES);
        }
    }

    /** A change through the control topic, taken between two polls: at a record boundary. */
    private void applyControl() {
        for (final ControlReader.Entry e : control.poll(Duration.ZERO)) {
            if (tuning.take(e)) {
                students.retune(tuning.current());
                if (!tuning.trusting()) {
                    students.trust(1);
                    trust = 1;
                }
            }
        }
    }

    private void fail(final Throwable e) {
        failure = e;
        LOG.error("trainer {} failed: {}", trainerId, e.getMessage(), e);
    }

    private void process(final ConsumerRecords<byte[], byte[]> records) {
        // the records read again only to rebuild the label join are in the checkpoint already
        int consumed = 0;
        final List<SoftTargetRecord> segment = new ArrayList<>(records.count());
        final List<Waiting> waiting = new ArrayList<>(records.count());
        for (final ConsumerRecord<byte[], byte[]> r : records) {
            final SoftTargetRecord s;
            try {
                s = decoder.decode(r.value());
            } catch (InvalidRecordException e) {
                if (labels == null || labels.read(r.partition(), r.offset(), Long.MIN_VALUE, r.timestamp())) {
                    consumed++;
                    skip(r, e);
                }
                continue;
            }
            if (labels == null) {
                consumed++;
                if (s.lateLabel()) {
                    ignoredLabel(r);
                } else {
                    segment.add(s);
                    waiting.add(null);
                }
                continue;
            }
            // a rehearsal is no record of the stream: its time is not the stream's
            final boolean live = labels.read(r.partition(), r.offset(), s.rehearsal() ? Long.MIN_VALUE : s.ts(),
                    r.timestamp());
            consumed += live ? 1 : 0;
            if (s.lateLabel()) {
                // the records before it first: one of them may be the one it labels
                learn(segment, waiting);
                labels.label(s.id(), s.label(), r.offset(), s.ts(), students::lateLabel);
                continue;
            }
            Waiting w = null;
            SoftTargetRecord record = s;
            if (s.labelled()) {
                // a rehearsal's id names no record a label could be for
                if (!s.rehearsal()) {
                    labels.labelledRecord(s.id());
                }
            } else {
                w = new Waiting(s);
                final Integer early = labels.record(s.id(), r.offset(), s.ts(), w);
                if (early != null) {
                    record = s.withLabel(early);
                    w = null;
                }
            }
            if (live) {
                segment.add(record);
                waiting.add(w);
            }
        }
        learn(segment, waiting);
        checkpointer.consumed(consumed);
        if (labels != null) {
            // late labels score without a record to learn from
            evaluation = students.evaluation();
            labels.pollDone();
        }
    }

    /**
     * Test, then train, on a run of records: scored in one batched call per student, the trust
     * updated from the scores, then trained on.
     */
    private void learn(final List<SoftTargetRecord> segment, final List<Waiting> waiting) {
        if (segment.isEmpty()) {
            return;
        }
        final int n = segment.size();
        final float[][] x = students.scale(segment);
        evaluation = students.score(segment, x, waiting);
        teacherTrust.settle(evaluation);
        if (tuning.trusting()) {
            students.trust(teacherTrust.update(evaluation));
            trust = students.trust();
            final TeacherTrust.FallBack f = teacherTrust.takeFallBack();
            if (f != null) {
                LOG.warn("trainer {}: over the {} labelled records after the teacher's drift the baseline was right on "
                        + "{}, the distilled student on {}: the distilled student starts again from the baseline",
                        trainerId, f.records(), f.baselineRight(), f.distilledRight());
                students.distilledFromBaseline();
            }
        }
        students.train(segment, x);
        final String newest = segment.get(n - 1).ensembleVersion();
        if (newest != null) {
            ensembleVersion = newest;
        }
        // a refresh's lesson is trained on, but it is no record of the stream
        recordsTrained += segment.stream().filter(r -> !r.rehearsal()).count();
        segment.clear();
        waiting.clear();
    }

    private void ignoredLabel(final ConsumerRecord<byte[], byte[]> r) {
        if (ignoredLabels++ == 0) {
            LOG.warn("trainer {}: late label at {}-{}@{} ignored: this trainer's {} is 0 (no late labels), its "
                    + "teacher's is not; further ones are ignored without a log line", trainerId, r.topic(),
                    r.partition(), r.offset(), ConfigKey.LABELS_WINDOW_MS.key());
        }
    }

    private void skip(final ConsumerRecord<byte[], byte[]> r, final InvalidRecordException e) {
        deadLetters++;
        metrics.deadLetter(e.reason().tag());
        // no dead-letter topic is configured for soft-targets: the count and this log are the record
        if (deadLetters <= LOGGED_BAD_RECORDS || deadLetters % 1000 == 0) {
            LOG.warn("trainer {}: skipping invalid record {}-{}@{} ({}, {} so far): {}", trainerId, r.topic(),
                    r.partition(), r.offset(), e.reason().tag(), deadLetters, e.getMessage());
        }
    }

    private void checkpoint() {
        final List<DriftEvent> events = drift.pending();
        final Map<Integer, Long> offsets = labels == null ? input.offsets() : labels.checkpointOffsets(input.offsets());
        final LateLabels.Snapshot late = labels == null ? LateLabels.Snapshot.NONE : labels.snapshot(offsets);
        if (checkpointer.checkpoint(recordsTrained, offsets, ensembleVersion, tuning.versionHeader(), events, late)) {
            drift.published(events.size());
            if (labels != null) {
                labels.published(late.deadLetters().size());
            }
        }
    }

    private void publishStatus(final State state) {
        status = new TrainerStatus(trainerId, state, version(), recordsTrained, status.recordsRestored(), input.lag(),
                deadLetters, checkpointer.count(), evaluation);
    }
}
