package dev.kdstream.student.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.student.checkpoint.CheckpointException;
import dev.kdstream.student.checkpoint.CheckpointSchedule;
import dev.kdstream.student.checkpoint.CheckpointStore;
import dev.kdstream.student.checkpoint.CheckpointWriter;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.metrics.TrainerMetrics;
import dev.kdstream.student.trainer.TrainerStatus.State;

/**
 * Trains the distilled student and the hard-label baseline online from {@code soft-targets}: a
 * plain consumer loop on one thread, which owns both DL4J networks.
 *
 * <p>For every poll: decode (invalid records are counted and skipped), predict all records with
 * both students in one batched call each, score those predictions (test-then-train), then add
 * the records to the micro-batches and take an optimiser step per full batch. Holdout records are
 * scored and never trained on; unlabelled records train the distilled student's soft term only.
 *
 * <p>The input position lives in the checkpoints, not in a consumer group: the trainer assigns
 * every partition itself and seeks to the offsets of its newest checkpoint. A checkpoint's
 * offsets never run ahead of its weights (partial micro-batches are trained on first), so after
 * a crash at most one checkpoint interval is redone.
 */
public final class OnlineTrainer implements Runnable {

    /** The same initial weights for both arms: the loss is the only difference between them. */
    static final long SEED = 42;

    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOGGED_BAD_RECORDS = 20;

    private final String trainerId;
    private final TrainerSetup setup;
    private final Consumer<byte[], byte[]> consumer;
    private final CheckpointWriter writer;
    /**
     * The optimiser steps run in plain Java: DL4J's fixed cost per fit() (~1 ms) was 62 % of the
     * trainer's time at micro-batch 64, and FastStudentTrainer is the same step (loss, L2, Adam)
     * to float rounding. The DL4J networks stay the models' home: they predict, and they carry
     * the weights and Adam state into checkpoints, synced after each poll's steps.
     */
    private final StudentPair students;
    private final SoftTargetDecoder decoder;
    private final CheckpointSchedule schedule;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> next;
    private final TrainerMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean(true);

    private volatile boolean checkpointOnStop = true;
    private volatile Evaluation evaluation = Evaluation.EMPTY;
    private volatile long version;
    private volatile TrainerStatus status;
    private volatile Throwable failure;

    /** The last version number handed out (a failed publish burns its number: see checkpoint()). */
    private long lastAssigned;
    private long recordsTrained;
    private long sinceLast;
    private long lastCheckpointNanos = System.nanoTime();
    /** After a failed publish, no new attempt before this (not on every poll). */
    private long retryAfterNanos = System.nanoTime();
    private long deadLetters;
    private long checkpoints;
    private String ensembleVersion;

    private OnlineTrainer(final KdConfig config, final TrainerSetup setup, final Consumer<byte[], byte[]> consumer,
                          final CheckpointWriter writer, final StudentModel distilled, final StudentModel baseline,
                          final Optional<StudentCheckpoint> restored, final List<TopicPartition> partitions,
                          final Map<TopicPartition, Long> start, final MeterRegistry registry) {
        this.trainerId = config.get(ConfigKey.TRAINER_ID);
        this.setup = setup;
        this.consumer = consumer;
        this.writer = writer;
        final int batch = config.getInt(ConfigKey.STUDENT_BATCH_SIZE);
        if (batch < 1) {
            throw new IllegalArgumentException(ConfigKey.STUDENT_BATCH_SIZE.key() + " must be >= 1, got " + batch);
        }
        this.decoder = new SoftTargetDecoder(setup.inputWidth(), setup.classes());
        final int window = config.getInt(ConfigKey.METRICS_WINDOW);
        if (window < 1) {
            throw new IllegalArgumentException(ConfigKey.METRICS_WINDOW.key() + " must be >= 1, got " + window);
        }
        this.schedule = CheckpointSchedule.of(config);
        this.partitions = List.copyOf(partitions);
        this.next = new HashMap<>(start);
        this.lastAssigned = restored.map(StudentCheckpoint::version).orElse(0L);
        this.version = lastAssigned;
        this.recordsTrained = restored.map(StudentCheckpoint::recordsTrained).orElse(0L);
        this.ensembleVersion = restored.map(StudentCheckpoint::ensembleVersion).orElse(setup.ensembleVersion());
        this.status = TrainerStatus.starting(trainerId, version, recordsTrained);
        this.metrics = new TrainerMetrics(registry, () -> evaluation, () -> version);
        this.students = new StudentPair(distilled, baseline, setup.scaler(), setup.classes(), setup.temperature(),
                batch, window, metrics::trained);
        metrics.bindKafkaClient(consumer);
        metrics.bindKafkaClient(writer.producer());
    }

    /**
     * Restores both students and the input position from the newest checkpoint of
     * {@code trainer.id} (or starts fresh from the beginning of soft-targets), ready to {@link #run()}.
     * The soft-targets and checkpoints topics must exist.
     */
    public static OnlineTrainer create(final KdConfig config, final TrainerSetup setup, final MeterRegistry registry) {
        final String trainerId = config.get(ConfigKey.TRAINER_ID);
        final Optional<StudentCheckpoint> restored = CheckpointStore.latest(config, trainerId);
        final StudentModel distilled;
        final StudentModel baseline;
        if (restored.isPresent()) {
            final StudentCheckpoint c = restored.get();
            distilled = restore(config, c, StudentManifest.DISTILLED, c.distilled(), setup);
            baseline = restore(config, c, StudentManifest.BASELINE, c.baseline(), setup);
            LOG.info("trainer {}: resuming from checkpoint v{} ({} records trained, offsets {})", trainerId,
                    c.version(), c.recordsTrained(), c.offsets());
        } else {
            distilled = StudentModel.create(StudentManifest.DISTILLED, setup.inputWidth(), setup.classes(),
                    setup.hyperparameters(), setup.scaler(), setup.ensembleVersion(), SEED);
            baseline = StudentModel.create(StudentManifest.BASELINE, setup.inputWidth(), setup.classes(),
                    setup.hyperparameters(), setup.scaler(), setup.ensembleVersion(), SEED);
            LOG.info("trainer {}: no checkpoint, starting fresh from the beginning of {}", trainerId,
                    config.topics().softTargets());
        }

        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(config, trainerId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        CheckpointWriter writer = null;
        try {
            final String topic = config.topics().softTargets();
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, STARTUP_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            final List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                    .toList();
            consumer.assign(partitions);
            final Map<Integer, Long> saved = restored.map(StudentCheckpoint::offsets).orElse(Map.of());
            final Map<TopicPartition, Long> start = new LinkedHashMap<>();
            for (final TopicPartition tp : partitions) {
                final Long offset = saved.get(tp.partition());
                if (offset != null) {
                    consumer.seek(tp, offset);
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
                start.put(tp, consumer.position(tp, STARTUP_TIMEOUT));
            }
            writer = new CheckpointWriter(config, "student-trainer-" + trainerId + "-checkpoints");
            return new OnlineTrainer(config, setup, consumer, writer, distilled, baseline, restored, partitions,
                    start, registry);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            if (writer != null) {
                writer.close();
            }
            throw e;
        }
    }

    static Properties consumerConfig(final KdConfig config, final String trainerId) {
        final Properties p = config.kafkaProperties();
        // no group: the position is in the checkpoint, and there is one trainer per trainer id
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "student-trainer-" + trainerId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // the teacher writes soft-targets in transactions: never train on an aborted one
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a checkpoint offset past the log end (topic re-created): start over rather than stall
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    private static StudentModel restore(final KdConfig config, final StudentCheckpoint c, final String role,
                                        final byte[] bytes, final TrainerSetup setup) {
        final String origin = config.topics().checkpoints() + " " + c.trainerId() + " v" + c.version() + " (" + role
                + ")";
        if (bytes == null) {
            throw new CheckpointException(origin + " holds no " + role + " model");
        }
        final StudentModel model = StudentFile.fromBytes(origin, bytes);
        final StudentManifest m = model.manifest();
        if (m.inputWidth() != setup.inputWidth() || m.numClasses() != setup.classes()) {
            throw new CheckpointException(origin + " is a " + m.inputWidth() + " -> " + m.numClasses()
                    + " student but the ensemble takes " + setup.inputWidth() + " features and "
                    + setup.classes() + " classes: use another " + ConfigKey.TRAINER_ID.key()
                    + " (" + ConfigKey.TRAINER_ID.env() + ") for a new model");
        }
        return model;
    }

    @Override
    public void run() {
        status = status.withState(State.RUNNING);
        boolean stoppedCleanly = false;
        try {
            while (running.get()) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    process(records);
                }
                final long now = System.nanoTime();
                if (now - retryAfterNanos >= 0
                        && schedule.due(sinceLast, (now - lastCheckpointNanos) / 1_000_000, lastAssigned > 0)) {
                    checkpoint();
                }
                publishStatus(State.RUNNING);
            }
            stoppedCleanly = true;
        } catch (WakeupException e) {
            // close() woke the consumer up
            stoppedCleanly = !running.get();
            if (!stoppedCleanly) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            try {
                if (stoppedCleanly && checkpointOnStop && sinceLast > 0) {
                    checkpoint();
                }
            } catch (RuntimeException e) {
                LOG.warn("trainer {}: final checkpoint failed: {}", trainerId, e.getMessage());
            }
            publishStatus(stoppedCleanly ? State.STOPPED : State.FAILED);
            try {
                metrics.close();
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } finally {
                writer.close();
            }
            LOG.info("trainer {} stopped at v{} after {} records", trainerId, version, recordsTrained);
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
            consumer.wakeup();
        } catch (RuntimeException e) {
            // the loop already ended and closed the consumer
        }
    }

    /** The newest snapshot, safe from any thread. */
    public TrainerStatus status() {
        return status;
    }

    /** Why the loop stopped, if it failed. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void fail(final Throwable e) {
        failure = e;
        LOG.error("trainer {} failed: {}", trainerId, e.getMessage(), e);
    }

    private void process(final ConsumerRecords<byte[], byte[]> records) {
        final List<SoftTargetRecord> valid = new ArrayList<>(records.count());
        for (final ConsumerRecord<byte[], byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            sinceLast++;
            try {
                valid.add(decoder.decode(r.value()));
            } catch (InvalidRecordException e) {
                skip(r, e);
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        final int n = valid.size();
        final float[][] x = students.scale(valid);
        evaluation = students.score(valid, x);
        students.train(valid, x);
        final String newest = valid.get(n - 1).ensembleVersion();
        if (newest != null) {
            ensembleVersion = newest;
        }
        recordsTrained += n;
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

    /**
     * Trains on the partial micro-batches (so the weights include every record the offsets pass),
     * then publishes both students with the next offsets and waits for the acknowledgement.
     */
    private void checkpoint() {
        students.trainPartialBatches();
        // A failed publish still uses up its number: the broker may have written it without the
        // ack arriving, and a later, different checkpoint must not reuse the version.
        final long v = ++lastAssigned;
        students.distilled().setVersion(v);
        students.baseline().setVersion(v);
        final StudentCheckpoint c = new StudentCheckpoint(trainerId, v, recordsTrained, offsets(), ensembleVersion,
                System.currentTimeMillis(), StudentFile.toBytes(students.distilled()),
                StudentFile.toBytes(students.baseline()));
        lastCheckpointNanos = System.nanoTime();
        try {
            writer.publish(c);
        } catch (CheckpointException e) {
            LOG.error("trainer {}: {}; retrying in {} ms", trainerId, e.getMessage(), schedule.everyMillis());
            retryAfterNanos = lastCheckpointNanos + schedule.everyMillis() * 1_000_000;
            return;
        }
        version = v;
        checkpoints++;
        sinceLast = 0;
        metrics.checkpointed();
        LOG.debug("trainer {}: checkpoint v{} at {} records, offsets {}", trainerId, v, recordsTrained, c.offsets());
    }

    /** The next offset to read per partition: everything before it is in the weights or was skipped. */
    private Map<Integer, Long> offsets() {
        final Map<Integer, Long> offsets = new LinkedHashMap<>();
        for (final TopicPartition tp : partitions) {
            long offset = next.get(tp);
            try {
                // past transaction markers too, when the consumer knows its position without asking the broker
                offset = Math.max(offset, consumer.position(tp, Duration.ZERO));
            } catch (WakeupException | TimeoutException e) {
                // stopping, or the position is being reset: what was processed is exact anyway
            }
            offsets.put(tp.partition(), offset);
        }
        return offsets;
    }

    private void publishStatus(final State state) {
        status = new TrainerStatus(trainerId, state, version, recordsTrained, lag(), deadLetters, checkpoints,
                evaluation);
    }

    /** From what the consumer already knows (no request to the broker); -1 when unknown. */
    private long lag() {
        long total = 0;
        try {
            for (final TopicPartition tp : partitions) {
                final OptionalLong lag = consumer.currentLag(tp);
                if (lag.isEmpty()) {
                    return -1;
                }
                total += lag.getAsLong();
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return total;
    }
}
