package dev.kdstream.model.drift;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * ADWIN2 (Bifet and Gavaldà, "Learning from time-changing data with adaptive windowing", SDM 2007):
 * a window of recent values that grows while they look like one regime and drops its oldest part
 * when two sub-windows' means differ by more than chance allows at confidence {@code delta}:
 * <pre>
 *   |mean(W0) - mean(W1)| > sqrt(2 / m * var(W) * ln(2 ln|W| / delta)) + 2 / (3m) * ln(2 ln|W| / delta),
 *   m = 1 / (1/|W0| + 1/|W1|)
 * </pre>
 * (the paper's bound with Bernstein's variance term, as its implementations use). The window is
 * kept as an exponential histogram: row r holds up to {@link #MAX_BUCKETS} buckets of 2^r values
 * each (their sum and sum of squared deviations), so memory and a check are O(log |W|). The cuts
 * are checked every {@link #CLOCK} values, at bucket boundaries only.
 */
public final class Adwin implements DriftDetector {

    /**
     * A quarter of the paper's and River's 0.002: on stationary 0/1 error streams (rates 0.02 to 0.5,
     * a million values a run) 0.002 raised up to 4 false alarms in a run, in clusters (a false cut
     * leaves a window that is cut again); 0.0005 raised one in 24 runs, and found the same abrupt
     * changes within one more check (AdwinTest).
     */
    public static final double DEFAULT_DELTA = 0.0005;
    /** Buckets per row before the two oldest merge (the paper's M). */
    static final int MAX_BUCKETS = 5;
    /** Values between two checks of the cuts. */
    static final int CLOCK = 32;
    /** The fewest values on each side of a cut. */
    static final int MIN_SIDE = 5;

    /** A bucket: {@code sum} of its values and {@code m2}, the sum of their squared deviations from its mean. */
    private record Bucket(double sum, double m2) {
    }

    private final double delta;
    /** Row r: buckets of 2^r values, oldest first; older rows hold older values. */
    private final List<ArrayDeque<Bucket>> rows = new ArrayList<>();
    private long width;
    private double total;
    private double m2;
    private long seen;

    public Adwin() {
        this(DEFAULT_DELTA);
    }

    /** @param delta confidence: smaller, fewer false alarms and later detections; in (0, 1) */
    public Adwin(final double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("ADWIN's delta must be in (0, 1), got " + delta);
        }
        this.delta = delta;
    }

    @Override
    public boolean update(final double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("ADWIN takes finite values, got " + value);
        }
        seen++;
        insert(value);
        return seen % CLOCK == 0 && shrink();
    }

    @Override
    public double estimation() {
        return width == 0 ? Double.NaN : total / width;
    }

    @Override
    public long seen() {
        return seen;
    }

    /** Values in the window. */
    public long width() {
        return width;
    }

    private void insert(final double value) {
        if (width > 0) {
            final double mean = total / width;
            m2 += width * (value - mean) * (value - mean) / (width + 1);
        }
        width++;
        total += value;
        row(0).addLast(new Bucket(value, 0));
        for (int r = 0; r < rows.size() && rows.get(r).size() > MAX_BUCKETS; r++) {
            final ArrayDeque<Bucket> row = rows.get(r);
            final Bucket older = row.pollFirst();
            final Bucket newer = row.pollFirst();
            final double n = 1L << r;
            final double d = older.sum / n - newer.sum / n;
            // the pair is newer than every bucket of the next row
            row(r + 1).addLast(new Bucket(older.sum + newer.sum, older.m2 + newer.m2 + n * n * d * d / (2 * n)));
        }
    }

    private ArrayDeque<Bucket> row(final int r) {
        while (rows.size() <= r) {
            rows.add(new ArrayDeque<>());
        }
        return rows.get(r);
    }

    /** Drops the oldest bucket while some cut shows two regimes; true if it dropped any. */
    private boolean shrink() {
        boolean changed = false;
        while (width > 2L * MIN_SIDE && cutFound()) {
            dropOldest();
            changed = true;
        }
        return changed;
    }

    /** Whether a cut between two buckets splits the window into sub-windows of different means. */
    private boolean cutFound() {
        final double variance = m2 / width;
        final double log = Math.log(2 * Math.log(width) / delta);
        long n0 = 0;
        double u0 = 0;
        for (int r = rows.size() - 1; r >= 0; r--) {
            final long size = 1L << r;
            for (final Iterator<Bucket> it = rows.get(r).iterator(); it.hasNext();) {
                final Bucket b = it.next();
                n0 += size;
                u0 += b.sum;
                final long n1 = width - n0;
                if (n1 < MIN_SIDE) {
                    return false;
                }
                if (n0 >= MIN_SIDE) {
                    final double mRecip = 1.0 / n0 + 1.0 / n1;
                    final double epsilon = Math.sqrt(2 * mRecip * variance * log) + 2.0 / 3.0 * mRecip * log;
                    if (Math.abs(u0 / n0 - (total - u0) / n1) > epsilon) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void dropOldest() {
        final int last = rows.size() - 1;
        final Bucket b = rows.get(last).pollFirst();
        final long n = 1L << last;
        width -= n;
        total -= b.sum;
        final double rest = total / width;
        final double mean = b.sum / n;
        m2 -= b.m2 + (double) n * width * (mean - rest) * (mean - rest) / (n + width);
        m2 = Math.max(m2, 0);
        while (!rows.isEmpty() && rows.get(rows.size() - 1).isEmpty()) {
            rows.remove(rows.size() - 1);
        }
    }
}
