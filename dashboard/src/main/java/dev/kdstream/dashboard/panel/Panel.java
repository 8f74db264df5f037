package dev.kdstream.dashboard.panel;

import java.util.List;

/**
 * A chart of the page and of the reports: its lines over time.
 *
 * @param window what the panel's figures are computed over, said on the chart, or ""
 * @param band   the legends of two lines drawn as the lower and upper end of a shaded band, or null
 * @param learning a learning curve: reports draw it against records trained, not against time
 * @param range  the y axis at most, or null: a line outside is cut at the edge (the figure itself is on
 *               the tiles and in the legend), so one unbounded interval cannot flatten the rest
 */
public record Panel(String id, String title, String window, Unit unit, List<Query> queries, Band band,
                    boolean learning, Range range) {

    public Panel {
        queries = List.copyOf(queries);
    }

    public record Band(String lower, String upper) {
    }

    public record Range(double min, double max) {
    }

    /** The series key of one of this panel's lines: unique on the page. */
    public String key(final String legend) {
        return id + "/" + legend;
    }
}
