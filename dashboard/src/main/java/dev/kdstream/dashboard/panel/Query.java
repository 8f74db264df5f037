package dev.kdstream.dashboard.panel;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.kdstream.dashboard.scrape.Sample;

/**
 * One line (or one line per label value) of a panel: the series of a metric whose labels match,
 * grouped by the values of the {@code by} labels (Prometheus's {@code sum by}), read as a gauge,
 * as a counter's increase per second between two scrapes, or as a timer's mean over that increase.
 * As in Prometheus, increases are taken per series and then summed: a counter that restarts (a
 * service restarted) counts from 0, and a series missing from one scrape adds nothing instead of
 * its whole count at the next.
 *
 * @param legend the line's name; {@code {label}} is replaced with the line's value of that label
 * @param maximum a gauge's series are combined by their maximum (a version), not their sum
 * @param whileIncreasing a counter: the gauge is shown only while it increases (a latency quantile
 *                        of a window with no event in it is not a latency), or null
 */
public record Query(Kind kind, String metric, Map<String, String> match, List<String> by, String legend,
                    boolean maximum, String whileIncreasing) {

    /** How a line's value is made from two consecutive scrapes. */
    public enum Kind {
        /** The series' values now, summed (or their maximum). */
        GAUGE,
        /** The series' increases per second since the scrape before, summed. */
        RATE,
        /** Of a timer {@code metric}: increase of {@code metric_sum} / increase of {@code metric_count}. */
        MEAN_OF_INCREASE
    }

    /** One line at one scrape: per series (its labels), the values the query reads. */
    public record Reading(Map<String, double[]> series, Map<String, Double> activity) {
    }

    public Query {
        match = Map.copyOf(match);
        by = List.copyOf(by);
    }

    public static Query gauge(final String metric, final String legend, final String... match) {
        return new Query(Kind.GAUGE, metric, pairs(match), List.of(), legend, false, null);
    }

    public static Query rate(final String metric, final String legend, final String... match) {
        return new Query(Kind.RATE, metric, pairs(match), List.of(), legend, false, null);
    }

    public static Query meanOfIncrease(final String timer, final String legend, final String... match) {
        return new Query(Kind.MEAN_OF_INCREASE, timer, pairs(match), List.of(), legend, false, null);
    }

    /** One line per combination of these labels' values. */
    public Query by(final String... labels) {
        return new Query(kind, metric, match, List.of(labels), legend, maximum, whileIncreasing);
    }

    /** A gauge whose series combine by their maximum: replicas at version 5 are at version 5, not 10. */
    public Query max() {
        return new Query(kind, metric, match, by, legend, true, whileIncreasing);
    }

    public Query whileIncreasing(final String counter) {
        return new Query(kind, metric, match, by, legend, maximum, counter);
    }

    /** This query's lines in one scrape, by legend; a line no series matched is absent. */
    public Map<String, Reading> read(final Map<String, List<Sample>> samplesByName) {
        final Map<String, Double> activity = new HashMap<>();
        if (whileIncreasing != null) {
            for (final Sample s : samplesByName.getOrDefault(whileIncreasing, List.of())) {
                activity.merge(s.labels().toString(), s.value(), Double::sum);
            }
        }
        final Map<String, Map<String, double[]>> lines = new TreeMap<>();
        if (kind == Kind.MEAN_OF_INCREASE) {
            collect(samplesByName.getOrDefault(metric + "_sum", List.of()), 0, 2, lines);
            collect(samplesByName.getOrDefault(metric + "_count", List.of()), 1, 2, lines);
        } else {
            collect(samplesByName.getOrDefault(metric, List.of()), 0, 1, lines);
        }
        final Map<String, Reading> readings = new TreeMap<>();
        lines.forEach((name, series) -> readings.put(name, new Reading(series, activity)));
        return readings;
    }

    /**
     * A line's value from its reading now and at the scrape before ({@code before} null when the
     * line was absent there), {@code seconds} apart; NaN where there is no value to show.
     */
    public double value(final Reading now, final Reading before, final double seconds) {
        switch (kind) {
            case GAUGE:
                if (whileIncreasing != null && (before == null || !(increase(now.activity(), before.activity()) > 0))) {
                    return Double.NaN;
                }
                double combined = maximum ? Double.NEGATIVE_INFINITY : 0;
                for (final double[] v : now.series().values()) {
                    combined = maximum ? Math.max(combined, v[0]) : combined + v[0];
                }
                return combined;
            case RATE:
                if (before == null || seconds <= 0) {
                    return Double.NaN;
                }
                final double[] rate = increases(now, before);
                return rate == null ? Double.NaN : rate[0] / seconds;
            case MEAN_OF_INCREASE:
                if (before == null) {
                    return Double.NaN;
                }
                final double[] mean = increases(now, before);
                return mean == null || !(mean[1] > 0) ? Double.NaN : mean[0] / mean[1];
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** Per value slot, the series' increases summed over the series present at both scrapes; null if none was. */
    private static double[] increases(final Reading now, final Reading before) {
        double[] sum = null;
        for (final Map.Entry<String, double[]> s : now.series().entrySet()) {
            final double[] b = before.series().get(s.getKey());
            if (b == null) {
                continue;
            }
            final double[] n = s.getValue();
            if (sum == null) {
                sum = new double[n.length];
            }
            for (int i = 0; i < n.length; i++) {
                sum[i] += increase(n[i], b[i]);
            }
        }
        return sum;
    }

    private static double increase(final Map<String, Double> now, final Map<String, Double> before) {
        double sum = 0;
        for (final Map.Entry<String, Double> s : now.entrySet()) {
            final Double b = before.get(s.getKey());
            if (b != null) {
                sum += increase(s.getValue(), b);
            }
        }
        return sum;
    }

    /** A counter's increase; one lower than before restarted from 0 (Prometheus's rule). */
    static double increase(final double now, final double before) {
        return now >= before ? now - before : now;
    }

    private void collect(final List<Sample> samples, final int slot, final int width,
                         final Map<String, Map<String, double[]>> lines) {
        for (final Sample s : samples) {
            if (matches(s)) {
                lines.computeIfAbsent(name(s), k -> new HashMap<>())
                        .computeIfAbsent(s.labels().toString(), k -> new double[width])[slot] = s.value();
            }
        }
    }

    private boolean matches(final Sample s) {
        for (final Map.Entry<String, String> m : match.entrySet()) {
            if (!s.label(m.getKey()).equals(m.getValue())) {
                return false;
            }
        }
        return true;
    }

    private String name(final Sample s) {
        String name = legend;
        for (final String label : by) {
            name = name.replace("{" + label + "}", s.label(label));
        }
        return name;
    }

    private static Map<String, String> pairs(final String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("label matchers come in pairs: " + List.of(keyValues));
        }
        final Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
