package dev.kdstream.launcher.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.panel.Panel;
import dev.kdstream.dashboard.panel.Query;
import dev.kdstream.dashboard.panel.Tile;

/** The compose deployment's Grafana dashboard shows what the built-in page shows. */
class GrafanaParityTest {

    @Test
    void grafanaQueriesEveryMetricTheBuiltInPageShows() {
        final List<String> grafana = DashboardQueries.all(RepoFiles.dashboards()).stream()
                .map(DashboardQueries.PanelQuery::expr).toList();
        final List<Query> page = queries(Layout.standard());
        assertThat(page).as("the page's queries").hasSizeGreaterThan(10);
        final List<String> missing = new ArrayList<>();
        for (final Query q : page) {
            // the whole metric name: kafka_..._records_lag must not pass on kafka_..._records_lag_max;
            // and the same series: each of the page's label matchers is Grafana's too, or Grafana does
            // not narrow that label (kd_accuracy{eval="holdout"} shows every model, not the prequential panel)
            final Pattern name = Pattern.compile("\\b" + Pattern.quote(q.metric()) + "(?![A-Za-z0-9_])");
            if (grafana.stream().noneMatch(expr -> name.matcher(expr).find() && q.match().entrySet().stream()
                    .allMatch(m -> expr.contains(m.getKey() + "=\"" + m.getValue() + "\"")
                            || !expr.contains(m.getKey() + "=")))) {
                missing.add(q.metric() + q.match() + " (" + q.legend() + ")");
            }
        }
        assertThat(missing).as("metrics on the built-in page that no Grafana panel queries").isEmpty();
    }

    private static List<Query> queries(final Layout layout) {
        final List<Query> all = new ArrayList<>();
        for (final Tile t : layout.tiles()) {
            for (final Query q : new Query[] {t.query(), t.detail(), t.lower(), t.upper()}) {
                if (q != null) {
                    all.add(q);
                }
            }
        }
        for (final Panel p : layout.panels()) {
            all.addAll(p.queries());
        }
        return all;
    }
}
