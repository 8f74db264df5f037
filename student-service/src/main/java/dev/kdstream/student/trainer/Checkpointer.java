package dev.kdstream.student.trainer;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.student.checkpoint.CheckpointException;
import dev.kdstream.student.checkpoint.CheckpointSchedule;
import dev.kdstream.student.checkpoint.CheckpointWriter;
import dev.kdstream.student.labels.LateLabels;
import dev.kdstream.student.metrics.TrainerMetrics;

/**
 * Decides when the trainer checkpoints and writes the checkpoints: both students with the input
 * offsets their weights include. Runs on the trainer thread; {@link #version()} and
 * {@link #count()} may be read from any thread.
 *
 * <p>A checkpoint's offsets never run ahead of its weights (partial micro-batches are trained
 * on first), so after a crash at most one checkpoint interval is redone.
 */
final class Checkpointer implements AutoCloseable {

    /**
     * Failed publishes in a row that turn the trainer's health DOWN. Each waits up to the
     * producer's delivery timeout (30 s by default, see CheckpointWriter) and is retried a
     * checkpoint interval later: with the defaults DOWN within about two minutes of the first
     * failure, within seconds when the broker refuses the record outright.
     */
    static final int FAILURES_BEFORE_DOWN = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final String trainerId;
    private final CheckpointWriter writer;
    private final CheckpointSchedule schedule;
    private final StudentPair students;
    private final TrainerMetrics metrics;

    private volatile long version;
    private volatile long count;
    /** The last version number handed out (a failed publish burns its number: see {@link #checkpoint}). */
    private long lastAssigned;
    private long sinceLast;
    private long lastCheckpointNanos = System.nanoTime();
    /** After a failed publish, no new attempt before this (not on every poll). */
    private long retryAfterNanos = System.nanoTime();
    /** When the newest checkpoint was acknowledged (the trainer's start before one): read by metrics. */
    private volatile long acknowledgedNanos = System.nanoTime();
    /** Failed publishes since the last acknowledged one: read by health checks. */
    private volatile int failuresInARow;

    /** @param version the version restored from, 0 when fresh */
    Checkpointer(final String trainerId, final CheckpointWriter writer, final CheckpointSchedule schedule,
                 final StudentPair students, final TrainerMetrics metrics, final long version) {
        this.trainerId = trainerId;
        this.writer = writer;
        this.schedule = schedule;
        this.students = students;
        this.metrics = metrics;
        this.version = version;
        this.lastAssigned = version;
    }

    /** Counts records consumed (valid or not) towards the schedule. */
    void consumed(final int records) {
        sinceLast += records;
    }

    /** Whether the schedule asks for a checkpoint now (and no failed publish is waiting out its retry). */
    boolean due() {
        final long now = System.nanoTime();
        return now - retryAfterNanos >= 0
                && schedule.due(sinceLast, (now - lastCheckpointNanos) / 1_000_000, lastAssigned > 0);
    }

    /** Whether records were consumed since the last checkpoint. */
    boolean behind() {
        return sinceLast > 0;
    }

    /**
     * Trains on the partial micro-batches (so the weights include every record the offsets pass),
     * then publishes both students with {@code offsets} and waits for the acknowledgement. A failed
     * publish is logged and retried a schedule interval later.
     *
     * @param offsets        the next offset to read per partition
     * @param controlVersion the control version the students trained under, as the value of its
     *                       header; null for the trainer's own settings
     * @param events         drift events found since the last checkpoint, published in its transaction
     * @param labels         the late-label join's positions and dead letters since the last checkpoint (the
     *                       dead letters in its transaction)
     * @return whether it was published (the events and dead letters with it)
     */
    boolean checkpoint(final long recordsTrained, final Map<Integer, Long> offsets, final String ensembleVersion,
                       final byte[] controlVersion, final List<DriftEvent> events, final LateLabels.Snapshot labels) {
        students.trainPartialBatches();
        // A failed publish still uses up its number: the broker may have written it without the
        // ack arriving, and a later, different checkpoint must not reuse the version.
        final long v = ++lastAssigned;
        students.distilled().setVersion(v);
        students.baseline().setVersion(v);
        final StudentCheckpoint c = new StudentCheckpoint(trainerId, v, recordsTrained, offsets, ensembleVersion,
                System.currentTimeMillis(), StudentFile.toBytes(students.distilled()),
                StudentFile.toBytes(students.baseline()), labels.positions());
        lastCheckpointNanos = System.nanoTime();
        try {
            writer.publish(c, controlVersion, events, labels.deadLetters());
        } catch (CheckpointException e) {
            failuresInARow++;
            metrics.publishFailed();
            LOG.error("trainer {}: {}; {} failed in a row{}, retrying in {} ms", trainerId, e.getMessage(),
                    failuresInARow, failuresInARow >= FAILURES_BEFORE_DOWN ? " (health DOWN)" : "",
                    schedule.everyMillis());
            retryAfterNanos = lastCheckpointNanos + schedule.everyMillis() * 1_000_000;
            return false;
        }
        if (failuresInARow > 0) {
            LOG.info("trainer {}: checkpoint v{} written after {} failed attempts", trainerId, v, failuresInARow);
        }
        failuresInARow = 0;
        acknowledgedNanos = System.nanoTime();
        version = v;
        count++;
        sinceLast = 0;
        metrics.checkpointed();
        LOG.debug("trainer {}: checkpoint v{} at {} records, offsets {}", trainerId, v, recordsTrained, c.offsets());
        return true;
    }

    /** The newest version written (the restored one before the first). */
    long version() {
        return version;
    }

    /** Fewer than {@link #FAILURES_BEFORE_DOWN} failed publishes since the last acknowledged one. */
    boolean publishing() {
        return failuresInARow < FAILURES_BEFORE_DOWN;
    }

    /** Seconds since the newest checkpoint was acknowledged, or since the trainer started before one. */
    double ageSeconds() {
        return (System.nanoTime() - acknowledgedNanos) / 1e9;
    }

    /** Checkpoints written by this trainer. */
    long count() {
        return count;
    }

    @Override
    public void close() {
        writer.close();
    }
}
