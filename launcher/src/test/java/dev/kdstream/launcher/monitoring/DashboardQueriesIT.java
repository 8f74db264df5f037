package dev.kdstream.launcher.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kdstream.client.produce.ProducerService;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.metrics.MetricsServer;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import dev.kdstream.launcher.monitoring.DashboardQueries.PanelQuery;
import dev.kdstream.launcher.stack.Pipeline;
import dev.kdstream.launcher.stack.PipelineFixture;

/**
 * Every PromQL expression of every dashboard, evaluated by a real Prometheus scraping the real
 * services: the embedded broker, the pipeline (teacher, trainer, server) and a producer streaming
 * valid records plus a few invalid ones. Prometheus runs with monitoring/prometheus/prometheus.yml,
 * its targets pointed at the services' ports here. An expression that errors or returns no series
 * (a wrong metric or label name, a typo in PromQL) fails the test, naming its panel.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DashboardQueriesIT {

    /** Long enough for a few scrapes after the first checkpoint; a slow machine just takes longer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void everyDashboardQueryReturnsSeriesFromTheRunningServices(final EmbeddedKafkaBroker broker) throws Exception {
        final Path binary = prometheusBinary();
        final List<PanelQuery> queries = DashboardQueries.all(RepoFiles.dashboards());
        assertThat(queries).isNotEmpty();
        final Dataset data = PipelineFixture.data();

        final KdConfig config = PipelineFixture.config(broker.bootstrapServers(), dir.resolve("state"),
                "dashboards");
        try (Pipeline pipeline = PipelineFixture.start(config, PipelineFixture.ensemble(data));
             ServiceMetrics producerMetrics = new ServiceMetrics(ProducerService.SERVICE);
             MetricsServer producerEndpoint = MetricsServer.start(0, producerMetrics, () -> true);
             ProducerService producer = ProducerService.start(config, endless(data), 200, producerMetrics, null)) {
            PipelineFixture.produceInvalid(config);
            final Map<String, Integer> ports = Map.of(
                    "teacher-service", URI.create(pipeline.teacherMetricsUrl()).getPort(),
                    "student-service", URI.create(pipeline.studentMetricsUrl()).getPort(),
                    "producer", producerEndpoint.port());
            try (PrometheusProcess prometheus = PrometheusProcess.start(binary, dir.resolve("prometheus"),
                    port -> scrapeConfig(ports, port))) {
                awaitTargetsUp(prometheus);
                final Map<PanelQuery, String> failures = awaitAnswers(prometheus, queries);
                if (!failures.isEmpty()) {
                    final StringBuilder message = new StringBuilder(failures.size() + " of " + queries.size()
                            + " dashboard queries failed:");
                    failures.forEach((q, why) -> message.append("\n  ").append(q.describe()).append("\n    -> ")
                            .append(why));
                    fail(message.toString());
                }
                assertThat(producer.failed()).isZero();
            }
        }
    }

    /** Required in CI (.ci/run installs it); elsewhere the test is skipped with the command to run. */
    private static Path prometheusBinary() {
        final var binary = PrometheusProcess.binary();
        if (binary.isEmpty()) {
            final String message = "the prometheus binary is missing: apt-get install prometheus (Debian's package)";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return binary.get();
    }

    /**
     * monitoring/prometheus/prometheus.yml with a 1 s scrape interval and each target moved to where
     * its service listens here (by compose service name; {@code localhost:9090} is Prometheus itself).
     */
    static String scrapeConfig(final Map<String, Integer> ports, final int prometheusPort) {
        final ObjectNode config = (ObjectNode) RepoFiles.yaml(RepoFiles.prometheusConfig());
        final ObjectNode global = config.withObjectProperty("global");
        global.put("scrape_interval", "1s");
        global.put("scrape_timeout", "1s");
        global.put("evaluation_interval", "1s");
        for (final JsonNode job : config.path("scrape_configs")) {
            for (final JsonNode group : job.path("static_configs")) {
                final ArrayNode targets = (ArrayNode) group.path("targets");
                for (int i = 0; i < targets.size(); i++) {
                    final String target = targets.get(i).asText();
                    final String host = target.substring(0, target.lastIndexOf(':'));
                    final Integer port = host.equals("localhost") ? Integer.valueOf(prometheusPort) : ports.get(host);
                    if (port == null) {
                        throw new IllegalStateException("prometheus.yml scrapes " + target
                                + ", which this test does not run: add it to the test");
                    }
                    targets.set(i, config.textNode("127.0.0.1:" + port));
                }
            }
        }
        try {
            return RepoFiles.YAML.writeValueAsString(config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTargetsUp(final PrometheusProcess prometheus) {
        final long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        List<String> down = List.of();
        while (System.nanoTime() < deadline) {
            down = new ArrayList<>();
            final JsonNode targets = prometheus.targets().path("data").path("activeTargets");
            for (final JsonNode t : targets) {
                if (!"up".equals(t.path("health").asText())) {
                    down.add(t.path("labels").path("job").asText() + " " + t.path("scrapeUrl").asText() + ": "
                            + t.path("health").asText() + " " + t.path("lastError").asText());
                }
            }
            if (!targets.isEmpty() && down.isEmpty()) {
                return;
            }
            PrometheusProcess.sleep(500);
        }
        fail("scrape targets not up: " + down + "\n" + prometheus.logTail());
    }

    /**
     * Evaluates every query until each returns a series, or the timeout passes.
     *
     * @return the failing queries and why: an error at once (it will not go away), no series at the end
     */
    private static Map<PanelQuery, String> awaitAnswers(final PrometheusProcess prometheus,
                                                        final List<PanelQuery> queries) {
        final long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        final Map<PanelQuery, String> failures = new LinkedHashMap<>();
        final List<PanelQuery> pending = new ArrayList<>(queries);
        final List<String> nanOnly = new ArrayList<>();
        while (!pending.isEmpty()) {
            final Map<PanelQuery, String> empty = new LinkedHashMap<>();
            for (final PanelQuery q : List.copyOf(pending)) {
                final JsonNode answer;
                try {
                    answer = prometheus.query(DashboardQueries.forPrometheus(q.expr()));
                } catch (IllegalArgumentException e) {
                    failures.put(q, e.getMessage());
                    pending.remove(q);
                    continue;
                }
                if (!"success".equals(answer.path("status").asText())) {
                    failures.put(q, answer.path("errorType").asText() + ": " + answer.path("error").asText());
                    pending.remove(q);
                } else if (series(answer.path("data")) == 0) {
                    empty.put(q, "no series");
                } else {
                    if (allNaN(answer.path("data"))) {
                        nanOnly.add(q.describe());
                    }
                    pending.remove(q);
                }
            }
            if (pending.isEmpty() || System.nanoTime() > deadline) {
                failures.putAll(empty);
                break;
            }
            PrometheusProcess.sleep(1000);
        }
        // NaN is a series (a ratio of zero rates, a gauge before its first record): worth a look, no failure
        nanOnly.forEach(q -> System.out.println("note: only NaN so far: " + q));
        return failures;
    }

    private static int series(final JsonNode data) {
        final JsonNode result = data.path("result");
        return "scalar".equals(data.path("resultType").asText()) || "string".equals(data.path("resultType").asText())
                ? 1 : result.size();
    }

    private static boolean allNaN(final JsonNode data) {
        if (!"vector".equals(data.path("resultType").asText())) {
            return false;
        }
        for (final JsonNode s : data.path("result")) {
            if (!"NaN".equals(s.path("value").path(1).asText())) {
                return false;
            }
        }
        return true;
    }

    /** Endless passes, a fifth of the rows as holdout records and a tenth unlabelled, until closed. */
    private static FeatureStream endless(final Dataset data) {
        return FeatureStream.of(data, new StreamOptions(0, 0.9, 0.2, 0, StreamOptions.DEFAULT_SEED));
    }
}
