package dev.kdstream.dashboard.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.panel.Panel;
import dev.kdstream.dashboard.panel.Query;
import dev.kdstream.dashboard.panel.Tile;
import dev.kdstream.dashboard.series.Tick;

/**
 * The charts and figures of a recorded run: each panel of the layout that has data, the learning
 * curves against records trained (the distilled student's count), the rest against time.
 */
public final class RunReport {

    private RunReport() {
    }

    public static List<ChartSpec> charts(final Layout layout, final List<Tick> ticks) {
        final String trainedKey = layout.panels().stream().filter(p -> p.id().equals(Layout.TRAINED_PANEL))
                .findFirst().map(p -> p.key(MetricNames.DISTILLED)).orElse(null);
        final double[] records = column(ticks, trainedKey);
        final double[] seconds = new double[ticks.size()];
        for (int i = 0; i < ticks.size(); i++) {
            seconds[i] = (ticks.get(i).millis() - ticks.get(0).millis()) / 1000.0;
        }
        final boolean byRecords = trainedKey != null && anyDefined(records);
        final List<ChartSpec> charts = new ArrayList<>();
        for (final Panel panel : layout.panels()) {
            final boolean learning = panel.learning() && byRecords;
            final List<ChartSpec.Line> lines = new ArrayList<>();
            for (final String key : keys(ticks, panel.key(""))) {
                final boolean edge = panel.band() != null && (key.equals(panel.key(panel.band().lower()))
                        || key.equals(panel.key(panel.band().upper())));
                lines.add(new ChartSpec.Line(key.substring(panel.key("").length()), learning ? records : seconds,
                        column(ticks, key), edge));
            }
            final ChartSpec chart = new ChartSpec(panel.id(), panel.title(), panel.window(),
                    learning ? "records trained (distilled student)" : "seconds since the recording started",
                    panel.unit(), lines, panel.range());
            if (chart.hasData()) {
                charts.add(chart);
            }
        }
        return charts;
    }

    /**
     * The tiles' figures at the end of the run (the newest tick that has them), as the page prints
     * them; a rate's tile is left out: at the end of a run it is the rate of a stream that has stopped.
     */
    public static Map<String, String> figures(final Layout layout, final List<Tick> ticks) {
        final Map<String, String> figures = new LinkedHashMap<>();
        for (final Tile tile : layout.tiles()) {
            if (tile.query().kind() == Query.Kind.RATE) {
                continue;
            }
            final String key = newestKey(ticks, tile.key(""));
            if (key == null) {
                continue;
            }
            if (tile.named()) {
                figures.put(tile.title(), key.substring(tile.key("").length()));
                continue;
            }
            final double value = last(ticks, key);
            final StringBuilder text = new StringBuilder(tile.unit().format(value));
            if (tile.lower() != null && Double.isFinite(value)) {
                final double low = last(ticks, tile.extraKey(tile.lower().legend()));
                final double high = last(ticks, tile.extraKey(tile.upper().legend()));
                text.append(Double.isFinite(low) && Double.isFinite(high)
                        ? " (95 % interval " + tile.unit().format(low) + " to " + tile.unit().format(high) + ")"
                        : " (95 % interval unbounded)");
            }
            if (tile.detail() != null) {
                final double n = last(ticks, tile.extraKey(tile.detail().legend()));
                if (Double.isFinite(n)) {
                    text.append(String.format(Locale.ROOT, ", %,d records", Math.round(n)));
                }
            }
            figures.put(tile.title(), text.toString());
        }
        return figures;
    }

    /** A key with this prefix in the newest tick that has one (the current version, not the alphabetically last). */
    private static String newestKey(final List<Tick> ticks, final String prefix) {
        for (int i = ticks.size() - 1; i >= 0; i--) {
            final Optional<String> first = ticks.get(i).values().keySet().stream().filter(k -> k.startsWith(prefix))
                    .min(Comparator.naturalOrder());
            if (first.isPresent()) {
                return first.get();
            }
        }
        return null;
    }

    /** The value of {@code key} at the newest tick that has the key (NaN: undefined there). */
    private static double last(final List<Tick> ticks, final String key) {
        for (int i = ticks.size() - 1; i >= 0; i--) {
            final Double v = ticks.get(i).values().get(key);
            if (v != null) {
                return v;
            }
        }
        return Double.NaN;
    }

    private static TreeSet<String> keys(final List<Tick> ticks, final String prefix) {
        final TreeSet<String> keys = new TreeSet<>();
        for (final Tick t : ticks) {
            for (final String k : t.values().keySet()) {
                if (k.startsWith(prefix)) {
                    keys.add(k);
                }
            }
        }
        return keys;
    }

    private static double[] column(final List<Tick> ticks, final String key) {
        final double[] c = new double[ticks.size()];
        for (int i = 0; i < c.length; i++) {
            final Double v = key == null ? null : ticks.get(i).values().get(key);
            c[i] = v == null ? Double.NaN : v;
        }
        return c;
    }

    private static boolean anyDefined(final double[] values) {
        for (final double v : values) {
            if (Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }
}
