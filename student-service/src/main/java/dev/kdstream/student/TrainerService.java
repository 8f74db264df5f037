package dev.kdstream.student;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.service.Service;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.file.ModelArchive;
import dev.kdstream.model.file.ModelFileException;
import dev.kdstream.model.file.ZipLimits;
import dev.kdstream.student.trainer.OnlineTrainer;
import dev.kdstream.student.trainer.StudentPair;
import dev.kdstream.student.trainer.TrainerSetup;
import dev.kdstream.student.trainer.TrainerStatus;

/**
 * A running online trainer: {@link #start} creates missing topics, restores the newest checkpoint
 * and runs the {@link OnlineTrainer} loop on its own thread; {@link #close} stops it after a final
 * checkpoint. Opens no HTTP port: the student-service serves one {@code /metrics} for its trainer
 * and server together.
 */
public final class TrainerService implements Service {

    /** The student-service's default {@code /metrics} port. */
    public static final int DEFAULT_METRICS_PORT = 9402;

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    private static final long JOIN_MILLIS = 30_000;

    private final OnlineTrainer trainer;
    private final Thread thread;

    private TrainerService(final OnlineTrainer trainer, final Thread thread) {
        this.trainer = trainer;
        this.thread = thread;
    }

    /** With the scaler, shape, temperature and alpha of the ensemble in {@code config.ensembleFile()}. */
    public static TrainerService start(final KdConfig config, final ServiceMetrics metrics) {
        return start(config, metrics, setupFrom(config));
    }

    /** With the ensemble's manifest in hand (the stack, tests). */
    public static TrainerService start(final KdConfig config, final ServiceMetrics metrics,
                                       final EnsembleManifest ensemble) {
        return start(config, metrics, TrainerSetup.of(ensemble, config));
    }

    public static TrainerService start(final KdConfig config, final ServiceMetrics metrics, final TrainerSetup setup) {
        return start(config, metrics, setup, false);
    }

    /** @param fromBeginning retrain from the beginning of soft-targets, whatever checkpoints {@code trainer.id} has */
    public static TrainerService start(final KdConfig config, final ServiceMetrics metrics, final TrainerSetup setup,
                                       final boolean fromBeginning) {
        TopicAdmin.ensureTopics(config, List.of(config.topics().softTargets(), config.topics().checkpoints(),
                config.topics().control(), config.topics().driftEvents(), config.topics().labelsDlq()));
        final OnlineTrainer trainer = OnlineTrainer.create(config, setup, metrics, fromBeginning);
        final Thread thread = new Thread(trainer, "student-trainer-" + config.get(ConfigKey.TRAINER_ID));
        thread.start();
        LOG.info("trainer {} started: {} -> {}", config.get(ConfigKey.TRAINER_ID), config.topics().softTargets(),
                config.topics().checkpoints());
        return new TrainerService(trainer, thread);
    }

    /**
     * Reads only the manifest of {@code config}'s ensemble file (its networks stay on disk): what the
     * trainer needs is the scaler and the shape; {@code config} has the trainer's own hyper-parameters.
     */
    public static TrainerSetup setupFrom(final KdConfig config) {
        final Path ensembleFile = config.ensembleFile();
        try {
            return TrainerSetup.of(ModelArchive.read(ensembleFile, EnsembleManifest.KIND,
                    EnsembleManifest.FORMAT_VERSION, ZipLimits.ENSEMBLE).manifestAs(EnsembleManifest.class), config);
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage() + " (the trainer takes the ensemble's scaler from it: "
                    + "train the ensemble first, or point --ensemble / " + ConfigKey.ENSEMBLE_FILE.env()
                    + " at one)", e);
        }
    }

    /** Every record scored from now on, on the trainer thread (see {@link OnlineTrainer#onScored}). */
    public void onScored(final StudentPair.ScoreListener listener) {
        trainer.onScored(listener);
    }

    /** The newest snapshot, safe from any thread (the stack prints {@code status().line()}). */
    public TrainerStatus status() {
        return trainer.status();
    }

    /**
     * Starting or running, and its checkpoints getting through: what {@code /health} reports. A
     * trainer whose checkpoints the broker keeps refusing trains on, but a restart would redo
     * everything since its last checkpoint and the servers serve an ever older model: DOWN after
     * {@code Checkpointer.FAILURES_BEFORE_DOWN} failed publishes in a row, UP at the next success.
     */
    @Override
    public boolean healthy() {
        final TrainerStatus.State state = trainer.status().state();
        return (state == TrainerStatus.State.STARTING || state == TrainerStatus.State.RUNNING)
                && trainer.checkpointsPublished();
    }

    /** Why the trainer stopped, if it failed. */
    public Optional<Throwable> failure() {
        return trainer.failure();
    }

    /** Stops after a final checkpoint of whatever was consumed since the last one. */
    @Override
    public void close() {
        stop(true);
    }

    /** Stops without the final checkpoint, as a crash would (tests of the restart path). */
    void abandon() {
        stop(false);
    }

    private void stop(final boolean finalCheckpoint) {
        trainer.stop(finalCheckpoint);
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("trainer thread {} did not stop within {} ms", thread.getName(), JOIN_MILLIS);
        }
    }
}
