package dev.kdstream.dashboard.panel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.kdstream.dashboard.scrape.Sample;

/**
 * One line (or one line per label value) of a panel: the samples of a metric whose labels match,
 * summed per value of the {@code by} labels (Prometheus's {@code sum by}), read as a gauge, as a
 * counter's increase per second between two scrapes, or as a timer's mean over that increase.
 *
 * @param legend the line's name; {@code {label}} is replaced with the line's value of that label
 * @param whileIncreasing a counter: the gauge is shown only while it increases (a latency quantile
 *                        of a window with no event in it is not a latency), or null
 */
public record Query(Kind kind, String metric, Map<String, String> match, List<String> by, String legend,
                    String whileIncreasing) {

    /** How a line's value is made from the raw sums of two consecutive scrapes. */
    public enum Kind {
        /** The sum now. */
        GAUGE,
        /** (sum now - sum before) / seconds between; undefined across a counter reset. */
        RATE,
        /** Of a timer {@code metric}: increase of {@code metric_sum} / increase of {@code metric_count}. */
        MEAN_OF_INCREASE
    }

    public Query {
        match = Map.copyOf(match);
        by = List.copyOf(by);
    }

    public static Query gauge(final String metric, final String legend, final String... match) {
        return new Query(Kind.GAUGE, metric, pairs(match), List.of(), legend, null);
    }

    public static Query rate(final String metric, final String legend, final String... match) {
        return new Query(Kind.RATE, metric, pairs(match), List.of(), legend, null);
    }

    public static Query meanOfIncrease(final String timer, final String legend, final String... match) {
        return new Query(Kind.MEAN_OF_INCREASE, timer, pairs(match), List.of(), legend, null);
    }

    /** One line per combination of these labels' values. */
    public Query by(final String... labels) {
        return new Query(kind, metric, match, List.of(labels), legend, whileIncreasing);
    }

    public Query whileIncreasing(final String counter) {
        return new Query(kind, metric, match, by, legend, counter);
    }

    /**
     * The raw sums this query needs from one scrape, per line: [value] for a gauge or a rate,
     * [sum, count] for a mean; a gauge with {@code whileIncreasing} adds the counter's total.
     */
    public Map<String, double[]> raw(final List<Sample> samples) {
        final Map<String, double[]> lines = new TreeMap<>();
        final String first = kind == Kind.MEAN_OF_INCREASE ? metric + "_sum" : metric;
        final int width = kind == Kind.MEAN_OF_INCREASE || whileIncreasing != null ? 2 : 1;
        double activity = 0;
        for (final Sample s : samples) {
            if (whileIncreasing != null && s.name().equals(whileIncreasing)) {
                activity += s.value();
            }
            final int slot = s.name().equals(first) ? 0
                    : kind == Kind.MEAN_OF_INCREASE && s.name().equals(metric + "_count") ? 1 : -1;
            if (slot < 0 || !matches(s)) {
                continue;
            }
            lines.computeIfAbsent(name(s), k -> new double[width])[slot] += s.value();
        }
        if (whileIncreasing != null) {
            for (final double[] line : lines.values()) {
                line[1] = activity;
            }
        }
        return lines;
    }

    /**
     * A line's value from its raw sums now and at the scrape before ({@code before} null at the
     * first), {@code seconds} apart; NaN where there is no value to show.
     */
    public double value(final double[] now, final double[] before, final double seconds) {
        switch (kind) {
            case GAUGE:
                if (whileIncreasing != null && (before == null || !(now[1] > before[1]))) {
                    return Double.NaN;
                }
                return now[0];
            case RATE:
                return before == null || now[0] < before[0] || seconds <= 0 ? Double.NaN
                        : (now[0] - before[0]) / seconds;
            case MEAN_OF_INCREASE:
                if (before == null || !(now[1] > before[1]) || now[0] < before[0]) {
                    return Double.NaN;
                }
                return (now[0] - before[0]) / (now[1] - before[1]);
            default:
                throw new IllegalStateException(kind.name());
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
