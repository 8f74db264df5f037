package dev.kdstream.student.trainer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.model.definition.Hyperparameters;

/**
 * A trainer's own hyper-parameters laid over the defaults: the students' hidden widths, T, alpha,
 * learning rate and weight decay, from its configuration (at start) and from the control topic (live;
 * every key but the hidden widths). Pure: settings in, checked hyper-parameters out.
 */
public final class StudentTuning {

    /** What a trainer takes from its settings; the live ones are those of {@code LiveSettings.PER_TRAINER}. */
    public static final List<ConfigKey> KEYS = List.of(ConfigKey.STUDENT_HIDDEN, ConfigKey.DISTILLATION_TEMPERATURE,
            ConfigKey.DISTILLATION_ALPHA, ConfigKey.STUDENT_LEARNING_RATE, ConfigKey.STUDENT_WEIGHT_DECAY);

    private StudentTuning() {
    }

    /**
     * {@code base} with every key of {@code settings} that is set (not blank) applied.
     *
     * @param settings file-style keys to values; keys other than {@link #KEYS} are not the trainer's and are ignored
     * @throws IllegalArgumentException naming the key, for a value that is not a number, out of range,
     *                                  or (hidden) not a list of widths >= 1
     */
    public static Hyperparameters apply(final Hyperparameters base, final Map<String, String> settings) {
        Hyperparameters.Student s = base.student();
        Hyperparameters.Distillation d = base.distillation();
        final String hidden = value(settings, ConfigKey.STUDENT_HIDDEN);
        final String t = value(settings, ConfigKey.DISTILLATION_TEMPERATURE);
        final String alpha = value(settings, ConfigKey.DISTILLATION_ALPHA);
        final String lr = value(settings, ConfigKey.STUDENT_LEARNING_RATE);
        final String wd = value(settings, ConfigKey.STUDENT_WEIGHT_DECAY);
        try {
            if (hidden != null) {
                s = new Hyperparameters.Student(widths(hidden), s.learningRate(), s.weightDecay(), s.epochs(),
                        s.batchSize());
            }
            if (lr != null) {
                s = new Hyperparameters.Student(s.hidden(), inFloat(ConfigKey.STUDENT_LEARNING_RATE, lr, true),
                        s.weightDecay(), s.epochs(), s.batchSize());
            }
            if (wd != null) {
                s = new Hyperparameters.Student(s.hidden(), s.learningRate(),
                        inFloat(ConfigKey.STUDENT_WEIGHT_DECAY, wd, false), s.epochs(), s.batchSize());
            }
            if (t != null) {
                d = new Hyperparameters.Distillation(number(ConfigKey.DISTILLATION_TEMPERATURE, t), d.alpha());
            }
            if (alpha != null) {
                d = new Hyperparameters.Distillation(d.temperature(), number(ConfigKey.DISTILLATION_ALPHA, alpha));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + settingsNamed(settings) + ")", e);
        }
        return base.withStudent(s).withDistillation(d);
    }

    /**
     * {@code distillation.trust} of {@code settings}, else {@code own}.
     *
     * @throws IllegalArgumentException for anything but true or false
     */
    public static boolean trust(final Map<String, String> settings, final boolean own) {
        final String v = value(settings, ConfigKey.DISTILLATION_TRUST);
        if (v == null) {
            return own;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(ConfigKey.DISTILLATION_TRUST.key() + " must be true or false, got '"
                    + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** The keys {@code config} sets (not blank): a trainer's own choices, which a control key for all does not move. */
    public static Set<String> setIn(final KdConfig config) {
        final Set<String> set = new HashSet<>();
        for (final ConfigKey k : List.of(ConfigKey.STUDENT_HIDDEN, ConfigKey.DISTILLATION_TEMPERATURE,
                ConfigKey.DISTILLATION_ALPHA, ConfigKey.STUDENT_LEARNING_RATE, ConfigKey.STUDENT_WEIGHT_DECAY,
                ConfigKey.DISTILLATION_TRUST)) {
            if (!config.get(k).isBlank()) {
                set.add(k.key());
            }
        }
        return set;
    }

    private static String value(final Map<String, String> settings, final ConfigKey key) {
        final String v = settings.get(key.key());
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static double number(final ConfigKey key, final String value) {
        final double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.key() + " must be a number, got '" + value + "'");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(key.key() + " must be a finite number, got " + value);
        }
        return v;
    }

    /**
     * The kernel steps in float: a step size or L2 that rounds to 0 or to infinity there would stop
     * the trainer (Adam refuses it) or turn the weights into NaN.
     *
     * @param positive whether 0 is refused too (a step size) or allowed (an L2)
     */
    private static double inFloat(final ConfigKey key, final String value, final boolean positive) {
        final double v = number(key, value);
        final float f = (float) v;
        if (Float.isInfinite(f) || (positive ? !(f > 0) : f < 0) || (v != 0 && f == 0)) {
            throw new IllegalArgumentException(key.key() + " must be " + (positive ? "> 0" : ">= 0") + " and within "
                    + "float range (" + Float.MIN_NORMAL + " to " + Float.MAX_VALUE + "), got " + value);
        }
        return v;
    }

    private static List<Integer> widths(final String value) {
        final List<Integer> widths = new ArrayList<>();
        for (final String w : value.split(",")) {
            try {
                widths.add(Integer.parseInt(w.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(ConfigKey.STUDENT_HIDDEN.key() + " must be widths such as 64,32, got '"
                        + value + "'");
            }
        }
        return widths;
    }

    private static String settingsNamed(final Map<String, String> settings) {
        final List<String> named = new ArrayList<>();
        for (final ConfigKey k : KEYS) {
            if (value(settings, k) != null) {
                named.add(k.key() + "=" + settings.get(k.key()).trim());
            }
        }
        return String.join(", ", named);
    }
}
