package dev.kdstream.launcher.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * monitoring/ against docker-compose.yml: Prometheus scrapes every service where it listens, Grafana
 * finds its provisioning, its datasource and its home dashboard where compose mounts them, and
 * every dashboard panel queries that datasource.
 */
class MonitoringConfigTest {

    @Test
    void prometheusScrapesEveryServiceOnItsMetricsPort() {
        final Map<String, List<String>> docker = RepoFiles.scrapeTargets(RepoFiles.yaml(RepoFiles.prometheusConfig()));
        final Map<String, List<String>> local =
                RepoFiles.scrapeTargets(RepoFiles.yaml(RepoFiles.prometheusLocalConfig()));
        RepoFiles.servicesBuiltHere().forEach((name, service) -> {
            final int port = ServicePorts.metricsPort(service);
            assertThat(docker).as("prometheus.yml job %s", name).containsEntry(name, List.of(name + ":" + port));
            assertThat(local).as("prometheus-local.yml job %s", name)
                    .containsEntry(name, List.of("localhost:" + port));
        });
        assertThat(local.keySet()).isEqualTo(docker.keySet());
    }

    @Test
    void prometheusFindsTheSecuredComposeFilesOwnServicesByDnsOnTheirMetricsPorts() {
        final Map<String, List<String>> byDns = RepoFiles.dnsTargets(RepoFiles.yaml(RepoFiles.prometheusConfig()));
        final Map<String, JsonNode> secured = new java.util.LinkedHashMap<>();
        RepoFiles.yaml(RepoFiles.secureCompose()).path("services").fields().forEachRemaining(e -> {
            if (!RepoFiles.composeServices().containsKey(e.getKey())
                    && RepoFiles.environment(e.getValue()).containsKey("KD_METRICS_PORT")) {
                secured.put(e.getKey(), e.getValue());
            }
        });
        assertThat(secured).as("services only the secured file runs").containsKey("serving-service");
        secured.forEach((name, service) -> assertThat(byDns).as("prometheus.yml job %s", name)
                .containsEntry(name, List.of(name + ":" + ServicePorts.metricsPort(service))));
    }

    @Test
    void composeMountsThePrometheusConfig() {
        final JsonNode prometheus = RepoFiles.composeServices().get("prometheus");
        assertThat(prometheus.path("volumes").toString())
                .contains("./monitoring/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml");
        assertThat(prometheus.path("command").toString()).contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    @Test
    void grafanaFindsItsProvisioningAndHomeDashboardWhereComposeMountsThem() {
        final JsonNode grafana = RepoFiles.composeServices().get("grafana");
        final String volumes = grafana.path("volumes").toString();
        assertThat(volumes).contains("./monitoring/grafana/provisioning:/etc/grafana/provisioning");
        final String dashboardsMount = mountTarget(grafana, "./monitoring/grafana/dashboards");

        final JsonNode provider = RepoFiles.yaml(RepoFiles.grafanaProvisioning().resolve("dashboards/kd-stream.yml"))
                .path("providers").get(0);
        assertThat(provider.path("options").path("path").asText()).isEqualTo(dashboardsMount);

        final String home = RepoFiles.environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).startsWith(dashboardsMount + "/");
        assertThat(RepoFiles.root().resolve("monitoring/grafana/dashboards").resolve(home.substring(
                dashboardsMount.length() + 1))).isRegularFile();
        assertThat(RepoFiles.environment(grafana)).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
                .containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
    }

    @Test
    void everyPanelQueriesTheProvisionedPrometheus() {
        final JsonNode datasource = RepoFiles.yaml(RepoFiles.grafanaProvisioning().resolve("datasources/prometheus.yml"))
                .path("datasources").get(0);
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        final String uid = datasource.path("uid").asText();
        assertThat(RepoFiles.dashboards()).isNotEmpty();

        final Set<String> dashboardUids = new HashSet<>();
        for (final Path file : RepoFiles.dashboards()) {
            final JsonNode dashboard = RepoFiles.json(file);
            assertThat(dashboardUids.add(dashboard.path("uid").asText())).as("%s: unique uid", file).isTrue();
            final Set<Integer> ids = new HashSet<>();
            final List<String> problems = new ArrayList<>();
            for (final JsonNode panel : DashboardQueries.panels(dashboard)) {
                final String name = file.getFileName() + " panel \"" + panel.path("title").asText() + "\"";
                if (!ids.add(panel.path("id").asInt())) {
                    problems.add(name + ": duplicate id " + panel.path("id"));
                }
                final JsonNode grid = panel.path("gridPos");
                if (grid.path("x").asInt() + grid.path("w").asInt() > 24 || grid.path("w").asInt() <= 0) {
                    problems.add(name + ": gridPos outside the 24 columns " + grid);
                }
                if ("row".equals(panel.path("type").asText())) {
                    continue;
                }
                if (!uid.equals(panel.path("datasource").path("uid").asText())) {
                    problems.add(name + ": datasource " + panel.path("datasource"));
                }
                if (panel.path("targets").isEmpty()) {
                    problems.add(name + ": no query");
                }
                for (final JsonNode target : panel.path("targets")) {
                    if (!uid.equals(target.path("datasource").path("uid").asText(uid))) {
                        problems.add(name + " query " + target.path("refId") + ": datasource " + target.path("datasource"));
                    }
                    if (target.path("expr").asText().isBlank()) {
                        problems.add(name + " query " + target.path("refId") + ": no expr");
                    }
                }
            }
            assertThat(problems).as(file.toString()).isEmpty();
        }
    }

    @Test
    void everyDashboardQueryUsesOnlyGrafanasIntervalVariables() {
        for (final DashboardQueries.PanelQuery q : DashboardQueries.all(RepoFiles.dashboards())) {
            assertThat(DashboardQueries.forPrometheus(q.expr())).as(q.describe()).doesNotContain("$__");
        }
        assertThat(DashboardQueries.forPrometheus("rate(x[$__rate_interval]) + rate(y[${__interval}])"))
                .isEqualTo("rate(x[1m]) + rate(y[1m])");
        assertThat(DashboardQueries.forPrometheus("label_replace(x, \"a\", \"$1$2\", \"b\", \"(.)(.)\")"))
                .contains("\"$1$2\"");
    }

    /** Where compose mounts a repo path in a service's container. */
    private static String mountTarget(final JsonNode service, final String source) {
        for (final JsonNode volume : service.path("volumes")) {
            final String[] parts = volume.asText().split(":");
            if (parts[0].equals(source)) {
                return parts[1];
            }
        }
        throw new AssertionError("no volume mounts " + source);
    }
}
