package dev.kdstream.model.drift;

/**
 * The Page-Hinkley test (Page, "Continuous inspection schemes", Biometrika 1954; in the form of Gama,
 * Sebastião and Rodrigues, "On evaluating stream learning algorithms", 2013) for an increase in the
 * mean, as of a model's error rate:
 * <pre>
 *   m_t = alpha * m_(t-1) + (x_t - mean_t - delta),   M_t = min(M_(t-1), m_t),   change when m_t - M_t > lambda
 * </pre>
 * with {@code mean_t} the mean of the values since the last change. {@code delta} is the increase
 * tolerated; {@code alpha} < 1 fades old evidence.
 *
 * <p>The defaults ({@link #forErrors}) are for 0/1 error streams and differ from River's (delta 0.005,
 * lambda 50, alpha 0.9999): with those, a stationary stream of errors at rate 0.1 to 0.5 raises 25 to
 * 80 false alarms per million values; fading lets {@code m} drift back from a minimum that stays
 * where it was, and a tolerance of half a point is within the noise of a 0/1 stream. Without fading
 * and with a tolerance of 5 points there were none in 5 million values at rates 0.02 to 0.5, and a
 * rise of 10 points is found in about 900 values, of 40 points in about 140 (PageHinkleyTest).
 */
public final class PageHinkley implements DriftDetector {

    /** No change is reported before this many values since the last one. */
    public static final int MIN_VALUES = 30;
    /** The increase of the mean tolerated: 5 points of error rate. */
    public static final double DEFAULT_DELTA = 0.05;
    /** The evidence needed. */
    public static final double DEFAULT_LAMBDA = 50;
    /** No fading: see the class doc. */
    public static final double DEFAULT_ALPHA = 1;

    private final double delta;
    private final double lambda;
    private final double alpha;
    private long seen;
    private long n;
    private double mean;
    private double cumulative;
    private double minimum;

    /** For a 0/1 error stream, {@link #forErrors()}. */
    public PageHinkley(final double delta, final double lambda, final double alpha) {
        if (!(delta >= 0) || !(lambda > 0) || !(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("Page-Hinkley needs delta >= 0, lambda > 0 and alpha in (0, 1], got "
                    + delta + ", " + lambda + ", " + alpha);
        }
        this.delta = delta;
        this.lambda = lambda;
        this.alpha = alpha;
    }

    /** The settings for a 0/1 error stream used here (their false alarms and delays are tested). */
    public static PageHinkley forErrors() {
        return new PageHinkley(DEFAULT_DELTA, DEFAULT_LAMBDA, DEFAULT_ALPHA);
    }

    @Override
    public boolean update(final double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Page-Hinkley takes finite values, got " + value);
        }
        seen++;
        n++;
        mean += (value - mean) / n;
        cumulative = alpha * cumulative + (value - mean - delta);
        minimum = Math.min(minimum, cumulative);
        if (n >= MIN_VALUES && cumulative - minimum > lambda) {
            n = 0;
            mean = 0;
            cumulative = 0;
            minimum = 0;
            return true;
        }
        return false;
    }

    @Override
    public double estimation() {
        return n == 0 ? Double.NaN : mean;
    }

    @Override
    public long seen() {
        return seen;
    }
}
