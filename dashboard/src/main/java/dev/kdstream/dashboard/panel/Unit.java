package dev.kdstream.dashboard.panel;

import java.util.Locale;

/** How a panel's numbers read; the page (app.js's FORMAT) and the reports format them alike. */
public enum Unit {
    /** A fraction 0..1 shown as a percentage. */
    PERCENT,
    PER_SECOND,
    RECORDS,
    SECONDS,
    /** A plain number, e.g. a KL divergence. */
    NUMBER;

    /** The value for a person; never "NaN": an undefined value says so. */
    public String format(final double v) {
        if (!Double.isFinite(v)) {
            return "undefined";
        }
        return switch (this) {
            case PERCENT -> String.format(Locale.ROOT, "%.2f %%", 100 * v);
            case PER_SECOND -> Math.abs(v) < 10 && v != Math.rint(v) ? String.format(Locale.ROOT, "%.1f/s", v)
                    : String.format(Locale.ROOT, "%,d/s", Math.round(v));
            case RECORDS -> String.format(Locale.ROOT, "%,d", Math.round(v));
            case SECONDS -> v < 1 ? String.format(Locale.ROOT, "%.1f ms", 1000 * v)
                    : String.format(Locale.ROOT, "%.2f s", v);
            case NUMBER -> Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", Math.round(v))
                    : String.format(Locale.ROOT, "%.3g", v);
        };
    }
}
