package dev.kdstream.student.trainer;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.ModelFileException;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.student.checkpoint.CheckpointException;
import dev.kdstream.student.checkpoint.CheckpointStore;

/**
 * Where a trainer starts: both students, the version and counts, and the input offsets of the
 * newest checkpoint of its {@code trainer.id}, or fresh students from the beginning of the input.
 *
 * @param version        the newest checkpoint's version, 0 when fresh
 * @param ensembleVersion the ensemble of the newest soft targets trained on (the setup's when fresh)
 * @param offsets        the next offset to read per partition; a partition missing starts at its beginning
 * @param labelJoin      where the late-label join of each partition begins, read again to rebuild it
 */
record TrainerStart(StudentModel distilled, StudentModel baseline, long version, long recordsTrained,
                    String ensembleVersion, Map<Integer, Long> offsets,
                    Map<Integer, StudentCheckpoint.JoinPosition> labelJoin) {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerStart.class);

    /**
     * From the newest checkpoint of {@code trainer.id} in the checkpoints topic that loads; fresh
     * when there is none. A checkpoint that does not load (corrupt, or refused as unsafe) is passed
     * over for the one before it; the version goes on from the highest one written, so the next
     * checkpoint is newer than every one on the topic.
     */
    /**
     * From the newest checkpoint of {@code trainer.id} in the checkpoints topic that loads; fresh
     * when there is none, or when asked.
     *
     * @param fromBeginning fresh students from the beginning of soft-targets even when {@code trainer.id}
     *                      has checkpoints: numbered after the highest (a server skips a checkpoint at
     *                      the version it has, and the version gauges keep rising); refused when the
     *                      newest one is of another architecture, which servers would refuse
     */
    static TrainerStart of(final KdConfig config, final TrainerSetup setup, final boolean fromBeginning) {
        final String trainerId = config.get(ConfigKey.TRAINER_ID);
        final List<StudentCheckpoint> lineage = CheckpointStore.sinceLastDeletion(config, trainerId);
        if (lineage.isEmpty()) {
            LOG.info("trainer {}: no checkpoint, starting fresh from the beginning of {}", trainerId,
                    config.topics().softTargets());
            return fresh(setup);
        }
        if (fromBeginning) {
            final StudentCheckpoint newest = lineage.get(lineage.size() - 1);
            try {
                restore(config, newest, setup);
            } catch (ModelFileException e) {
                LOG.debug("trainer {}: its newest checkpoint does not load ({}): its shape is not checked", trainerId,
                        e.getMessage());
            }
            final long highest = lineage.stream().mapToLong(StudentCheckpoint::version).max().orElse(0);
            LOG.info("trainer {}: starting fresh from the beginning of {} as asked, at version {} (its newest "
                    + "checkpoint: v{}, {} records trained)", trainerId, config.topics().softTargets(), highest + 1,
                    newest.version(), newest.recordsTrained());
            return fresh(setup).withVersion(highest);
        }
        return newestLoadable(lineage, c -> restore(config, c, setup), () -> fresh(setup), trainerId);
    }

    /**
     * @param lineage in log order, newest last
     * @param restore throws {@link ModelFileException} for a checkpoint that does not load
     */
    static TrainerStart newestLoadable(final List<StudentCheckpoint> lineage,
                                       final Function<StudentCheckpoint, TrainerStart> restore,
                                       final Supplier<TrainerStart> fresh, final String trainerId) {
        final long highest = lineage.stream().mapToLong(StudentCheckpoint::version).max().orElse(0);
        for (int i = lineage.size() - 1; i >= 0; i--) {
            final StudentCheckpoint c = lineage.get(i);
            try {
                final TrainerStart start = restore.apply(c);
                LOG.info("trainer {}: resuming from checkpoint v{} ({} records trained, offsets {})", trainerId,
                        c.version(), c.recordsTrained(), c.offsets());
                return start.withVersion(highest);
            } catch (ModelFileException e) {
                LOG.warn("trainer {}: checkpoint v{} does not load ({}); trying the one before it", trainerId,
                        c.version(), e.getMessage());
            }
        }
        LOG.warn("trainer {}: none of its {} checkpoints loads; starting fresh from the beginning of the input, "
                + "at version {}", trainerId, lineage.size(), highest + 1);
        return fresh.get().withVersion(highest);
    }

    /** Where to read each partition from: the join's beginning where there is one, else the next offset. */
    Map<Integer, Long> readFrom() {
        final Map<Integer, Long> from = new java.util.HashMap<>(offsets);
        labelJoin.forEach((p, j) -> from.merge(p, j.from(), Math::min));
        return from;
    }

    /** The same start, numbering its next checkpoint after {@code version}. */
    TrainerStart withVersion(final long version) {
        return new TrainerStart(distilled, baseline, version, recordsTrained, ensembleVersion, offsets, labelJoin);
    }

    private static TrainerStart restore(final KdConfig config, final StudentCheckpoint c, final TrainerSetup setup) {
        final StudentModel distilled = restore(config, c, StudentManifest.DISTILLED, c.distilled(), setup);
        final StudentModel baseline = restore(config, c, StudentManifest.BASELINE, c.baseline(), setup);
        final String ensembleVersion = c.ensembleVersion() != null ? c.ensembleVersion() : setup.ensembleVersion();
        return new TrainerStart(distilled, baseline, c.version(), c.recordsTrained(), ensembleVersion, c.offsets(),
                c.labelJoin());
    }

    static TrainerStart fresh(final TrainerSetup setup) {
        return new TrainerStart(
                StudentModel.create(StudentManifest.DISTILLED, setup.inputWidth(), setup.classes(),
                        setup.hyperparameters(), setup.scaler(), setup.ensembleVersion(),
                        TrainerSetup.STUDENT_SEED),
                StudentModel.create(StudentManifest.BASELINE, setup.inputWidth(), setup.classes(),
                        setup.hyperparameters(), setup.scaler(), setup.ensembleVersion(),
                        TrainerSetup.STUDENT_SEED),
                0, 0, setup.ensembleVersion(), Map.of(), Map.of());
    }

    private static StudentModel restore(final KdConfig config, final StudentCheckpoint c, final String role,
                                        final byte[] bytes, final TrainerSetup setup) {
        final String origin = config.topics().checkpoints() + " " + c.trainerId() + " v" + c.version() + " (" + role
                + ")";
        if (bytes == null) {
            throw new ModelFileException(origin + " holds no " + role + " model");
        }
        final StudentModel model = StudentFile.fromBytes(origin, bytes);
        final StudentManifest m = model.manifest();
        if (m.inputWidth() != setup.inputWidth() || m.numClasses() != setup.classes()) {
            throw new CheckpointException(origin + " is a " + m.inputWidth() + " -> " + m.numClasses()
                    + " student but the ensemble takes " + setup.inputWidth() + " features and "
                    + setup.classes() + " classes: use another " + ConfigKey.TRAINER_ID.key()
                    + " (" + ConfigKey.TRAINER_ID.env() + ") for a new model");
        }
        final List<Integer> hidden = setup.hyperparameters().student().hidden();
        if (!m.hyperparameters().hidden().equals(hidden)) {
            throw new CheckpointException(origin + " is a student with hidden widths " + m.hyperparameters().hidden()
                    + " but this trainer's are " + hidden + " (" + ConfigKey.STUDENT_HIDDEN.key() + "): use another "
                    + ConfigKey.TRAINER_ID.key() + " (" + ConfigKey.TRAINER_ID.env() + ") for a new architecture");
        }
        return model;
    }
}
