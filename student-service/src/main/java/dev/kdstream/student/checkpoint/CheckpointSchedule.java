package dev.kdstream.student.checkpoint;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;

/**
 * When the trainer publishes a checkpoint: after {@code everyRecords} records or
 * {@code everyMillis}, whichever comes first, and only if it consumed something since the last
 * one. Before any checkpoint exists the first comes after {@code firstAfterRecords}, so servers
 * have a model to serve quickly.
 */
public record CheckpointSchedule(long everyRecords, long everyMillis, long firstAfterRecords) {

    public CheckpointSchedule {
        if (everyRecords < 1) {
            throw new IllegalArgumentException(ConfigKey.CHECKPOINT_EVERY_RECORDS.key() + " must be >= 1, got "
                    + everyRecords);
        }
        if (everyMillis < 1) {
            throw new IllegalArgumentException(ConfigKey.CHECKPOINT_EVERY_SECONDS.key() + " must be >= 1 second");
        }
        if (firstAfterRecords < 1) {
            throw new IllegalArgumentException("the first checkpoint must come after at least one record");
        }
    }

    /** From the configuration: the first checkpoint after the first full micro-batch (or sooner). */
    public static CheckpointSchedule of(final KdConfig config) {
        final long every = config.getLong(ConfigKey.CHECKPOINT_EVERY_RECORDS);
        final long seconds = config.getLong(ConfigKey.CHECKPOINT_EVERY_SECONDS);
        if (seconds < 1) {
            throw new IllegalArgumentException(ConfigKey.CHECKPOINT_EVERY_SECONDS.key() + " ("
                    + ConfigKey.CHECKPOINT_EVERY_SECONDS.env() + ") must be >= 1, got " + seconds);
        }
        final long batch = Math.max(1, config.getInt(ConfigKey.STUDENT_BATCH_SIZE));
        return new CheckpointSchedule(every, seconds * 1000, Math.min(Math.max(1, every), batch));
    }

    /**
     * @param recordsSinceLast records consumed (valid or skipped) since the last checkpoint
     * @param millisSinceLast  time since the last checkpoint (or since the trainer started)
     * @param anyCheckpoint    whether a checkpoint of this trainer exists (written or restored)
     */
    public boolean due(final long recordsSinceLast, final long millisSinceLast, final boolean anyCheckpoint) {
        if (recordsSinceLast <= 0) {
            return false;
        }
        if (!anyCheckpoint && recordsSinceLast >= firstAfterRecords) {
            return true;
        }
        return recordsSinceLast >= everyRecords || millisSinceLast >= everyMillis;
    }
}
