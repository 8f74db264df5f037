package dev.kdstream.student.trainer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.control.ControlMeters;
import dev.kdstream.contracts.control.ControlReader;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.model.definition.Hyperparameters;

/**
 * A trainer's hyper-parameters in force: its own ({@link TrainerSetup}), with the control record's
 * settings for it laid over them ({@link LiveSettings#forTrainer}): a key it was started with
 * (configured, not a default) changes only through {@code KEY@TRAINER_ID}. A record that is not a control
 * record, or whose settings for this trainer are out of range, is refused (a warning and
 * {@code kd_control_refused_total}) and changes nothing. A record with none of its settings returns
 * to its own, under that record's version. Used by the trainer thread only; {@link #version} from any.
 */
final class LiveTuning {

    /** The version of the trainer's own settings, before any control record. */
    static final long CONFIGURED = -1;

    private static final Logger LOG = LoggerFactory.getLogger(LiveTuning.class);

    private final String trainerId;
    private final Hyperparameters own;
    private final Set<String> pinned;
    private final ControlMeters meters;
    private final boolean ownTrust;
    private Hyperparameters current;
    private boolean trusting;
    private volatile long version = CONFIGURED;
    private byte[] versionHeader;

    /**
     * @param pinned   the keys the trainer was started with, which only a key set for it changes
     * @param ownTrust whether it weighs the soft term by the teacher's recent accuracy ({@link TeacherTrust})
     */
    LiveTuning(final String trainerId, final Hyperparameters own, final boolean ownTrust, final Set<String> pinned,
               final ControlMeters meters) {
        this.trainerId = trainerId;
        this.own = own;
        this.ownTrust = ownTrust;
        this.trusting = ownTrust;
        this.pinned = Set.copyOf(pinned);
        this.meters = meters;
        this.current = own;
    }

    /**
     * Takes one control record.
     *
     * @return true when the hyper-parameters in force changed
     */
    boolean take(final ControlReader.Entry entry) {
        final LiveSettings settings;
        try {
            settings = LiveSettings.fromBytes(entry.value());
        } catch (IllegalArgumentException e) {
            refuse(ControlMeters.MALFORMED, entry.version(), e.getMessage());
            return false;
        }
        final Hyperparameters next;
        final boolean nextTrust;
        try {
            final Map<String, String> mine = settings.forTrainer(trainerId, pinned);
            next = StudentTuning.apply(own, mine);
            nextTrust = StudentTuning.trust(mine, ownTrust);
        } catch (IllegalArgumentException e) {
            refuse(ControlMeters.INVALID, entry.version(), e.getMessage());
            return false;
        }
        version = entry.version();
        versionHeader = Long.toString(version).getBytes(StandardCharsets.UTF_8);
        final boolean changed = !next.equals(current) || nextTrust != trusting;
        if (changed) {
            LOG.info("trainer {}: control version {} ({}{}): now {} and {}{}, was {} and {}", trainerId, version,
                    settings, settings.by().isEmpty() ? "" : ", by " + settings.by(), next.student(),
                    next.distillation(), nextTrust ? "" : ", the teacher always trusted", current.student(),
                    current.distillation());
        }
        current = next;
        trusting = nextTrust;
        return changed;
    }

    Hyperparameters current() {
        return current;
    }

    /** Whether the soft term is weighed by the teacher's recent accuracy ({@link TeacherTrust}). */
    boolean trusting() {
        return trusting;
    }

    /** The control version in force, {@link #CONFIGURED} before any; safe from any thread. */
    long version() {
        return version;
    }

    /** {@link #version} as the value of {@link LiveSettings#VERSION_HEADER}, null for the trainer's own settings. */
    byte[] versionHeader() {
        return versionHeader;
    }

    private void refuse(final String reason, final long offset, final String why) {
        meters.refused(reason);
        LOG.warn("trainer {}: refusing control version {} ({}): {}; training goes on with {} and {} (control "
                + "version {})", trainerId, offset, reason, why, current.student(), current.distillation(), version);
    }
}
