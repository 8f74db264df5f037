package dev.kdstream.launcher.monitoring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** The PromQL of Grafana dashboards: every target of every panel, rows' nested panels included. */
final class DashboardQueries {

    /** One query of one panel. */
    record PanelQuery(String dashboard, int panelId, String panel, String refId, String expr) {

        /** How a failure names it. */
        String describe() {
            return dashboard + " panel " + panelId + " \"" + panel + "\" query " + refId + ": " + expr;
        }
    }

    /**
     * Grafana's built-in interval variables, with what a test substitutes for them: a minute is
     * many scrapes at any scrape interval of ours, so every rate() has points to work with.
     */
    private static final Pattern INTERVAL_VARIABLE =
            Pattern.compile("\\$\\{?__(rate_interval|interval|range)(_ms|_s)?}?");
    /** Any other variable: a dashboard variable the test would have to know about. */
    private static final Pattern OTHER_VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_]\\w*)");

    private DashboardQueries() {
    }

    static List<PanelQuery> of(final Path dashboardFile) {
        final JsonNode dashboard = RepoFiles.json(dashboardFile);
        final List<PanelQuery> queries = new ArrayList<>();
        collect(dashboardFile.getFileName().toString(), dashboard.path("panels"), queries);
        return queries;
    }

    static List<PanelQuery> all(final List<Path> dashboardFiles) {
        final List<PanelQuery> queries = new ArrayList<>();
        dashboardFiles.forEach(f -> queries.addAll(of(f)));
        return queries;
    }

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels(final JsonNode dashboard) {
        final List<JsonNode> panels = new ArrayList<>();
        addPanels(dashboard.path("panels"), panels);
        return panels;
    }

    /**
     * The expression as Prometheus would receive it from Grafana.
     *
     * @throws IllegalArgumentException for a variable other than Grafana's interval ones
     */
    static String forPrometheus(final String expr) {
        final String substituted = INTERVAL_VARIABLE.matcher(expr).replaceAll("1m");
        final Matcher other = OTHER_VARIABLE.matcher(substituted);
        if (other.find()) {
            throw new IllegalArgumentException("unknown Grafana variable $" + other.group(1) + " in " + expr);
        }
        return substituted;
    }

    private static void collect(final String dashboard, final JsonNode panels, final List<PanelQuery> queries) {
        for (final JsonNode panel : panels) {
            for (final JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    queries.add(new PanelQuery(dashboard, panel.path("id").asInt(), panel.path("title").asText(),
                            target.path("refId").asText(), target.path("expr").asText()));
                }
            }
            collect(dashboard, panel.path("panels"), queries);
        }
    }

    private static void addPanels(final JsonNode panels, final List<JsonNode> into) {
        for (final JsonNode panel : panels) {
            into.add(panel);
            addPanels(panel.path("panels"), into);
        }
    }
}
