package dev.kdstream.model.eval;

/** Mean and sample standard deviation of a few numbers (runs over seeds). */
public record Stats(double mean, double std, double min, double max, int n) {

    public static Stats of(final double[] values) {
        if (values.length == 0) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (final double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        final double mean = sum / values.length;
        double squares = 0;
        for (final double v : values) {
            squares += (v - mean) * (v - mean);
        }
        // n - 1: these are samples of the run-to-run spread, not the whole population
        final double std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0.0;
        return new Stats(mean, std, min, max, values.length);
    }
}
