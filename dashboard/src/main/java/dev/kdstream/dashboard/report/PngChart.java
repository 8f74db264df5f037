package dev.kdstream.dashboard.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import dev.kdstream.dashboard.panel.Panel;
import dev.kdstream.dashboard.panel.Unit;

/** A {@link ChartSpec} drawn as a PNG with XChart, in the live page's colours. */
public final class PngChart {

    public static final int WIDTH = 900;
    public static final int HEIGHT = 420;

    private static final Map<String, Color> NAMED = Map.of(
            "teacher", new Color(0x7c3aed), "ensemble", new Color(0x7c3aed),
            "distilled", new Color(0xea580c), "baseline", new Color(0x6b7280),
            "holdout", new Color(0x2563eb), "prequential_window", new Color(0x0891b2));
    /** A line named "... distilled" is the distilled student's, in its colour. */
    private static final Set<String> MODELS = Set.of("teacher", "distilled", "baseline");
    private static final Color[] PALETTE = {new Color(0x2563eb), new Color(0xea580c), new Color(0x16a34a),
        new Color(0x9333ea), new Color(0x0891b2), new Color(0xca8a04), new Color(0xdb2777), new Color(0x4b5563)};

    static {
        // charts are drawn off screen, also on machines without a display
        System.setProperty("java.awt.headless", "true");
    }

    private PngChart() {
    }

    public static byte[] png(final ChartSpec spec) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(spec.title())
                .xAxisTitle(spec.xLabel()).yAxisTitle(axisTitle(spec.unit())).build();
        final XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xe3e6eb));
        styler.setPlotBorderVisible(false);
        styler.setChartTitleBoxVisible(false);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setYAxisDecimalPattern(spec.unit() == Unit.PERCENT ? "0.0%" : "#,##0.###");
        styler.setXAxisDecimalPattern("#,##0");
        styler.setAntiAlias(true);
        if (spec.range() != null) {
            styler.setYAxisMin(spec.range().min());
            styler.setYAxisMax(spec.range().max());
        }
        int i = 0;
        Color first = null;
        for (final ChartSpec.Line line : spec.lines()) {
            final double[][] points = clipped(definedX(line), spec.range());
            if (Arrays.stream(points[1]).noneMatch(Double::isFinite)) {
                continue;
            }
            final XYSeries series = chart.addSeries(line.name(), points[0], points[1]);
            series.setMarker(SeriesMarkers.NONE);
            // an interval's ends in the colour of the figure they bound, the chart's first line
            final Color colour = line.dashed() && first != null ? first : colour(line.name(), i++);
            first = first == null ? colour : first;
            series.setLineColor(line.dashed() ? new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 140)
                    : colour);
            series.setLineStyle(line.dashed()
                    ? new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {5f, 4f}, 0f)
                    : new BasicStroke(2f));
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line's points whose x is defined (a learning curve has none before the trainer's first count). */
    private static double[][] definedX(final ChartSpec.Line line) {
        int n = 0;
        for (final double x : line.x()) {
            n += Double.isFinite(x) ? 1 : 0;
        }
        final double[][] points = new double[2][n];
        for (int i = 0, j = 0; i < line.x().length; i++) {
            if (Double.isFinite(line.x()[i])) {
                points[0][j] = line.x()[i];
                points[1][j++] = line.y()[i];
            }
        }
        return points;
    }

    /**
     * Values outside the axis's range left out, a gap: XChart would draw them off the plot, and at
     * the edge they would read as values.
     */
    private static double[][] clipped(final double[][] points, final Panel.Range range) {
        if (range != null) {
            for (int i = 0; i < points[1].length; i++) {
                if (points[1][i] < range.min() || points[1][i] > range.max()) {
                    points[1][i] = Double.NaN;
                }
            }
        }
        return points;
    }

    private static Color colour(final String name, final int i) {
        final String model = name.substring(name.lastIndexOf(' ') + 1);
        final Color named = NAMED.get(name);
        if (named != null) {
            return named;
        }
        return MODELS.contains(model) ? NAMED.get(model) : PALETTE[i % PALETTE.length];
    }

    private static String axisTitle(final Unit unit) {
        return switch (unit) {
            case PERCENT -> "%";
            case PER_SECOND -> "per second";
            case RECORDS -> "records";
            case SECONDS -> "seconds";
            case NUMBER -> "";
        };
    }
}
