package dev.kdstream.dashboard.report;

import java.util.List;

import dev.kdstream.dashboard.panel.Panel;
import dev.kdstream.dashboard.panel.Unit;

/**
 * One chart of a report: lines of (x, y) points; NaN y is a gap (an undefined figure).
 *
 * @param id   names the chart's file
 * @param note what the figures are over, printed under the title, or ""
 * @param range the y axis at most, or null
 */
public record ChartSpec(String id, String title, String note, String xLabel, Unit unit, List<Line> lines,
                        Panel.Range range) {

    public ChartSpec {
        lines = List.copyOf(lines);
    }

    /** @param dashed drawn thin and dashed: an interval's end, not a figure of its own */
    public record Line(String name, double[] x, double[] y, boolean dashed) {

        public Line {
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " x values for " + y.length + " y values");
            }
        }

        /** Points with a defined y. */
        public int definedPoints() {
            int n = 0;
            for (final double v : y) {
                n += Double.isFinite(v) ? 1 : 0;
            }
            return n;
        }
    }

    /** Whether any line has a point to draw. */
    public boolean hasData() {
        return lines.stream().anyMatch(l -> l.definedPoints() > 0);
    }
}
