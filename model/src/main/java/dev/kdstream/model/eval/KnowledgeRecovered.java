package dev.kdstream.model.eval;

import java.util.Locale;

/**
 * The share of the ensemble-baseline accuracy gap that the distilled student closes,
 * {@code (distilled - baseline) / (ensemble - baseline)}, measured on the same records, with a 95 %
 * interval and the record count it rests on.
 *
 * <p>The interval is Fieller's for a ratio of two paired means: per record, x = e - b and
 * y = d - b (each model's 0/1 correctness), and the share is mean(y) / mean(x). Fieller's interval
 * holds the ratios R for which mean(y) - R mean(x) is within 1.96 standard errors of zero; when the
 * gap mean(x) is itself within noise of zero that set is unbounded, and the share means little
 * however it prints. With no gap, or a negative one, the ratio is not a recovery at all:
 * {@link State#NO_GAP}.
 *
 * @param records the records the figures rest on
 * @param gap     ensemble accuracy minus baseline accuracy on them
 * @param share   the point estimate; NaN where {@link #hasShare()} is false
 * @param lower   lower end of the 95 % interval; NaN unless ESTIMATED
 * @param upper   upper end of the 95 % interval; NaN unless ESTIMATED
 * @param state   which of these figures mean something
 */
public record KnowledgeRecovered(long records, double gap, double share, double lower, double upper, State state) {

    /** What can be said. */
    public enum State {
        /** No labelled record yet. */
        NO_RECORDS,
        /** The ensemble does not beat the baseline on these records: there is no gap to recover. */
        NO_GAP,
        /** Too few records for the interval's normal approximation: an estimate without a bound. */
        FEW_RECORDS,
        /** The ensemble is ahead, by less than the noise of this many records: an estimate without a bound. */
        GAP_WITHIN_NOISE,
        /** A share with its 95 % interval. */
        ESTIMATED
    }

    /** Two-sided 95 % normal quantile. */
    static final double Z = 1.959963984540054;
    /**
     * Fewer records than this get no interval: Fieller's rests on the means being about normal, which
     * a handful of 0/1 differences (a window just after a restart) are not.
     */
    public static final long MIN_RECORDS_FOR_INTERVAL = 30;

    /** Nothing measured. */
    public static final KnowledgeRecovered NONE = new KnowledgeRecovered(0, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, State.NO_RECORDS);

    /**
     * From the count of records of each outcome pattern.
     *
     * @param patterns eight counts, indexed {@link #pattern}(ensemble right, distilled right, baseline right)
     */
    public static KnowledgeRecovered of(final long[] patterns) {
        if (patterns.length != 8) {
            throw new IllegalArgumentException("need 8 pattern counts, got " + patterns.length);
        }
        long n = 0;
        long sx = 0;
        long sy = 0;
        long sxx = 0;
        long syy = 0;
        long sxy = 0;
        for (int p = 0; p < 8; p++) {
            final long c = patterns[p];
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c + " for pattern " + p);
            }
            final int b = baselineRight(p) ? 1 : 0;
            final int x = (ensembleRight(p) ? 1 : 0) - b;
            final int y = (distilledRight(p) ? 1 : 0) - b;
            n += c;
            sx += c * x;
            sy += c * y;
            sxx += c * x * x;
            syy += c * y * y;
            sxy += c * x * y;
        }
        return fromSums(n, sx, sy, sxx, syy, sxy);
    }

    /**
     * From sums over n independent records of x = e - b and y = d - b (per record, each model's
     * correctness, or its mean over several models of each kind evaluated on that record).
     */
    public static KnowledgeRecovered fromSums(final long n, final double sx, final double sy, final double sxx,
                                              final double syy, final double sxy) {
        if (n == 0) {
            return NONE;
        }
        final double mx = sx / n;
        final double my = sy / n;
        if (mx <= 0) {
            return new KnowledgeRecovered(n, mx, Double.NaN, Double.NaN, Double.NaN, State.NO_GAP);
        }
        final double share = my / mx;
        if (n < MIN_RECORDS_FOR_INTERVAL) {
            return new KnowledgeRecovered(n, mx, share, Double.NaN, Double.NaN, State.FEW_RECORDS);
        }
        // sample (co)variances of the means: s_uv / n, with s_uv the unbiased (co)variance
        final double vxx = (sxx - n * mx * mx) / (n - 1) / n;
        final double vyy = (syy - n * my * my) / (n - 1) / n;
        final double vxy = (sxy - n * mx * my) / (n - 1) / n;
        final double z2 = Z * Z;
        // (my - R mx)^2 <= z^2 (vyy - 2 R vxy + R^2 vxx), as a R^2 + b R + c <= 0
        final double a = mx * mx - z2 * vxx;
        final double b = -2 * (mx * my - z2 * vxy);
        final double c = my * my - z2 * vyy;
        if (a <= 0) {
            return new KnowledgeRecovered(n, mx, share, Double.NaN, Double.NaN, State.GAP_WITHIN_NOISE);
        }
        final double root = Math.sqrt(Math.max(0, b * b - 4 * a * c));
        return new KnowledgeRecovered(n, mx, share, (-b - root) / (2 * a), (-b + root) / (2 * a), State.ESTIMATED);
    }

    /** Whether there is a share to show: the ensemble beats the baseline on at least one record. */
    public boolean hasShare() {
        return state == State.ESTIMATED || state == State.GAP_WITHIN_NOISE || state == State.FEW_RECORDS;
    }

    /** The index of an outcome pattern in the counts {@link #of} takes. */
    public static int pattern(final boolean ensembleRight, final boolean distilledRight, final boolean baselineRight) {
        return (ensembleRight ? 4 : 0) | (distilledRight ? 2 : 0) | (baselineRight ? 1 : 0);
    }

    /** Whether the ensemble was right in this {@link #pattern}. */
    public static boolean ensembleRight(final int pattern) {
        return (pattern & 4) != 0;
    }

    /** Whether the distilled student was right in this {@link #pattern}. */
    public static boolean distilledRight(final int pattern) {
        return (pattern & 2) != 0;
    }

    /** Whether the baseline was right in this {@link #pattern}. */
    public static boolean baselineRight(final int pattern) {
        return (pattern & 1) != 0;
    }

    /** For a person: the share with its interval and count, or what is missing and why. */
    public String describe() {
        return switch (state) {
            case NO_RECORDS -> "no labelled records yet";
            case NO_GAP -> String.format(Locale.ROOT,
                    "undefined: the ensemble does not beat the baseline (%+.2f pt on %,d records)", 100 * gap, records);
            case FEW_RECORDS -> String.format(Locale.ROOT, "%.1f %%, no bound: %,d records are too few for an interval",
                    100 * share, records);
            case GAP_WITHIN_NOISE -> String.format(Locale.ROOT,
                    "%.1f %%, no bound: the ensemble's %.2f pt lead is within noise on %,d records",
                    100 * share, 100 * gap, records);
            case ESTIMATED -> String.format(Locale.ROOT, "%.1f %% (95 %% interval %.1f to %.1f %%, %,d records)",
                    100 * share, 100 * lower, 100 * upper, records);
        };
    }

    /** Short form for a status line: the share and its interval, or a word for why not. */
    public String brief() {
        return switch (state) {
            case NO_RECORDS -> "-";
            case NO_GAP -> "undefined";
            case FEW_RECORDS, GAP_WITHIN_NOISE -> String.format(Locale.ROOT, "%.0f%% (no bound)", 100 * share);
            case ESTIMATED -> String.format(Locale.ROOT, "%.0f%% [%.0f, %.0f]", 100 * share, 100 * lower, 100 * upper);
        };
    }
}
