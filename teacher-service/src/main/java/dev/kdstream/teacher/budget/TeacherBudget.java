package dev.kdstream.teacher.budget;

import java.util.Locale;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;

/**
 * The teacher budget as configured ({@code teacher.budget}, {@code teacher.sampler} and the
 * samplers' own settings), checked once: each annotator task makes its own {@link Sampler}.
 *
 * @param sampler   {@link #UNIFORM}, {@link #UNCERTAINTY} or {@link #ADAPTIVE}
 * @param budget    the share of training records to annotate (the adaptive sampler's start), in (0, 1]
 * @param explore   the uncertainty sampler's uniform share of its budget, in [0, 1]
 * @param floor     the adaptive sampler's lowest budget, in (0, budget]
 * @param agreement the adaptive sampler's target agreement, in [0, 1]
 */
public record TeacherBudget(String sampler, double budget, double explore, double floor, double agreement) {

    public static final String UNIFORM = "uniform";
    public static final String UNCERTAINTY = "uncertainty";
    public static final String ADAPTIVE = "adaptive";

    public TeacherBudget {
        sampler = sampler.trim().toLowerCase(Locale.ROOT);
        if (!sampler.equals(UNIFORM) && !sampler.equals(UNCERTAINTY) && !sampler.equals(ADAPTIVE)) {
            throw new IllegalArgumentException(ConfigKey.TEACHER_SAMPLER.key() + " (" + ConfigKey.TEACHER_SAMPLER.env()
                    + ") must be " + UNIFORM + ", " + UNCERTAINTY + " or " + ADAPTIVE + ", got '" + sampler + "'");
        }
        if (!(budget > 0 && budget <= 1)) {
            throw new IllegalArgumentException(ConfigKey.TEACHER_BUDGET.key() + " (" + ConfigKey.TEACHER_BUDGET.env()
                    + ") must be in (0, 1], got " + budget);
        }
        share(ConfigKey.TEACHER_EXPLORE, explore);
        share(ConfigKey.TEACHER_AGREEMENT_TARGET, agreement);
        if (sampler.equals(ADAPTIVE) && !(floor > 0 && floor <= budget)) {
            throw new IllegalArgumentException(ConfigKey.TEACHER_BUDGET_FLOOR.key() + " ("
                    + ConfigKey.TEACHER_BUDGET_FLOOR.env() + ") must be in (0, " + ConfigKey.TEACHER_BUDGET.key()
                    + " = " + budget + "], got " + floor);
        }
    }

    private static void share(final ConfigKey key, final double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(key.key() + " (" + key.env() + ") must be in [0, 1], got " + value);
        }
    }

    /** @throws IllegalArgumentException naming the setting at fault */
    public static TeacherBudget of(final KdConfig config) {
        return new TeacherBudget(config.get(ConfigKey.TEACHER_SAMPLER),
                config.getDouble(ConfigKey.TEACHER_BUDGET), config.getDouble(ConfigKey.TEACHER_EXPLORE),
                config.getDouble(ConfigKey.TEACHER_BUDGET_FLOOR), config.getDouble(ConfigKey.TEACHER_AGREEMENT_TARGET));
    }

    /** The same sampler and settings, annotating every record: what a drift boost spends. */
    public TeacherBudget inFull() {
        return new TeacherBudget(UNIFORM, 1.0, explore, floor, agreement);
    }

    /**
     * Whether every training record is annotated whatever happens: a budget of 1.0, which only the
     * adaptive sampler moves away from. Every record is then a uniform draw, and no student is looked at.
     */
    public boolean everything() {
        return budget == 1.0 && !sampler.equals(ADAPTIVE);
    }

    /** Whether the sampler looks at the served student, which the teacher then follows through the checkpoints. */
    public boolean needsStudent() {
        return !everything() && !sampler.equals(UNIFORM);
    }

    /** A new sampler, for one task. */
    public Sampler newSampler() {
        return switch (sampler) {
            case UNCERTAINTY -> new UncertaintySampler(budget, explore);
            case ADAPTIVE -> new AdaptiveSampler(budget, floor, agreement);
            default -> new UniformSampler(budget);
        };
    }

    @Override
    public String toString() {
        return switch (sampler) {
            case UNCERTAINTY -> String.format(Locale.ROOT, "%s sampler, budget %.3g (%.0f%% of it uniform)", sampler, budget,
                    100 * explore);
            case ADAPTIVE -> String.format(Locale.ROOT, "%s sampler, budget %.3g to start, floor %.3g, agreement target %.3g",
                    sampler, budget, floor, agreement);
            default -> String.format(Locale.ROOT, "%s sampler, budget %.3g", sampler, budget);
        };
    }
}
