package dev.kdstream.teacher.budget;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;

/**
 * The teacher's live settings in force, and the control version they came from: the teacher budget
 * and the temperature of the soft targets it writes.
 *
 * @param temperature T, or null for the ensemble file's
 * @param driftBoost  records to annotate in full after a drift detection ({@code teacher.drift.boost})
 * @param refresh     whether to refresh the ensemble after a drift ({@code teacher.refresh})
 * @param version     the offset of the control record that set it, or {@link #CONFIGURED} for the
 *                    service's own configuration
 */
public record LiveBudget(TeacherBudget budget, Double temperature, long driftBoost, boolean refresh, long version) {

    /** The version of a budget that no control record has changed. */
    public static final long CONFIGURED = -1;

    /** The settings of {@code config}, checked. */
    public static LiveBudget of(final KdConfig config, final long version) {
        final long boost = config.getLong(ConfigKey.TEACHER_DRIFT_BOOST);
        if (boost < 0) {
            throw new IllegalArgumentException(ConfigKey.TEACHER_DRIFT_BOOST.key() + " ("
                    + ConfigKey.TEACHER_DRIFT_BOOST.env() + ") must be >= 0, got " + boost);
        }
        return new LiveBudget(TeacherBudget.of(config), temperatureOf(config), boost,
                config.getBoolean(ConfigKey.TEACHER_REFRESH), version);
    }

    /** {@code distillation.temperature}: null when not set (the ensemble's), else a number > 0. */
    public static Double temperatureOf(final KdConfig config) {
        if (config.get(ConfigKey.DISTILLATION_TEMPERATURE).isBlank()) {
            return null;
        }
        final double t = config.getDouble(ConfigKey.DISTILLATION_TEMPERATURE);
        if (t <= 0) {
            throw new IllegalArgumentException(ConfigKey.DISTILLATION_TEMPERATURE.key() + " ("
                    + ConfigKey.DISTILLATION_TEMPERATURE.env() + ") must be > 0, got " + t);
        }
        return t;
    }

    /** T of the soft targets: the one set, else the ensemble's. */
    public double temperatureOr(final double ensemble) {
        return temperature == null ? ensemble : temperature;
    }
}
