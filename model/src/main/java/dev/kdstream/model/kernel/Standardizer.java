package dev.kdstream.model.kernel;

import java.util.Arrays;

import dev.kdstream.contracts.data.Dataset;

/**
 * Per-column standardisation {@code (x - mean) / std}, fitted on training data only, like
 * scikit-learn's {@code StandardScaler}: population std (ddof = 0), and a constant column gets
 * std 1.0 so it maps to 0 instead of dividing by zero.
 *
 * <p>Fitting is in double precision; {@link #transform} returns floats because that is what the
 * networks consume.
 *
 * @param mean per-column mean
 * @param std  per-column standard deviation, every entry positive and finite
 */
public record Standardizer(double[] mean, double[] std) {

    public Standardizer {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " columns but std has " + std.length);
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0 && Double.isFinite(std[j])) || !Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("column " + j + ": mean " + mean[j] + " and std " + std[j]
                        + " must be finite, and std positive");
            }
        }
        // Copies, so the caller's arrays can change without changing a fitted scaler.
        mean = mean.clone();
        std = std.clone();
    }

    public static Standardizer fit(final Dataset train) {
        final int n = train.size();
        if (n == 0) {
            throw new IllegalArgumentException(train.source() + ": cannot fit a standardizer on no rows");
        }
        final int width = train.width();
        final double[] mean = new double[width];
        for (final double[] row : train.features()) {
            for (int j = 0; j < width; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= n;
        }
        // Two passes with the rounding correction scikit-learn applies: sum(d^2) - sum(d)^2 / n.
        final double[] squares = new double[width];
        final double[] residuals = new double[width];
        for (final double[] row : train.features()) {
            for (int j = 0; j < width; j++) {
                final double d = row[j] - mean[j];
                squares[j] += d * d;
                residuals[j] += d;
            }
        }
        final double[] std = new double[width];
        for (int j = 0; j < width; j++) {
            final double variance = Math.max(0.0, (squares[j] - residuals[j] * residuals[j] / n) / n);
            std[j] = isConstant(variance, mean[j], n) ? 1.0 : Math.sqrt(variance);
        }
        return new Standardizer(mean, std);
    }

    /**
     * scikit-learn's {@code _is_constant_feature}: a variance within rounding error of zero counts
     * as zero, so a constant column of 0.1s maps to 0 rather than to noise divided by 1e-17.
     */
    private static boolean isConstant(final double variance, final double mean, final int n) {
        final double eps = Math.ulp(1.0);
        final double bound = n * eps * variance + (n * mean * eps) * (n * mean * eps);
        return variance <= bound;
    }

    public int width() {
        return mean.length;
    }

    public float[] transform(final double[] row) {
        final float[] out = new float[row.length];
        transform(row, out);
        return out;
    }

    /** Into {@code out[0..width)}; {@code out} may be wider (a reused buffer). */
    public void transform(final double[] row, final float[] out) {
        if (row.length != mean.length) {
            throw new IllegalArgumentException("expected " + mean.length + " features, got " + row.length);
        }
        for (int j = 0; j < row.length; j++) {
            out[j] = (float) ((row[j] - mean[j]) / std[j]);
        }
    }

    public float[][] transform(final double[][] rows) {
        final float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = transform(rows[i]);
        }
        return out;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
