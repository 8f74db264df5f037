package dev.kdstream.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.json.Json;
import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.scrape.PrometheusText;
import dev.kdstream.dashboard.series.Recording;

class DashboardServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(final DashboardServer server, final String path)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageItsFilesAndTheTicksAfterASequenceNumber() throws Exception {
        final Recording recording = new Recording(Layout.standard(), 10);
        for (int i = 1; i <= 3; i++) {
            recording.add(i * 1_000L, PrometheusText.parse(
                    "kd_accuracy{eval=\"holdout\",model=\"teacher\"} 0.9" + i + "\n").samples());
        }
        try (DashboardServer server = DashboardServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                recording, List::of)) {
            assertThat(get(server, "/").body()).contains("<script src=\"vendor/uPlot.iife.min.js\">");
            assertThat(get(server, "/vendor/uPlot.iife.min.js").statusCode()).isEqualTo(200);
            assertThat(get(server, "/vendor/uPlot.LICENSE").body()).contains("MIT License");
            final JsonNode ticks = Json.MAPPER.readTree(get(server, "/api/ticks?after=1").body()).get("ticks");
            assertThat(ticks).hasSize(2);
            assertThat(ticks.get(1).get("v").get("tile/holdout-teacher/accuracy").asDouble()).isEqualTo(0.93);
            final JsonNode layout = Json.MAPPER.readTree(get(server, "/api/layout").body());
            assertThat(layout.get("panels").size()).isEqualTo(Layout.standard().panels().size());
            assertThat(get(server, "/../pom.xml").statusCode()).isEqualTo(404);
            assertThat(get(server, "/dashboard/app.js").statusCode()).isEqualTo(404);
            assertThat(Json.MAPPER.readTree(get(server, "/api/ticks?after=junk").body()).get("ticks")).hasSize(3);
            assertThat(Json.MAPPER.readTree(get(server, "/api/ticks").body()).get("run").asText())
                    .isEqualTo(recording.id());
        }
    }

    @Test
    void answersRequestsForLocalhostOnly() {
        assertThat(DashboardServer.localHost("localhost:9400")).isTrue();
        assertThat(DashboardServer.localHost("127.0.0.1:9400")).isTrue();
        assertThat(DashboardServer.localHost("[::1]:9400")).isTrue();
        assertThat(DashboardServer.localHost("LOCALHOST")).isTrue();
        assertThat(DashboardServer.localHost("evil.example:9400")).as("a rebound name").isFalse();
        assertThat(DashboardServer.localHost("localhost.evil.example")).isFalse();
        assertThat(DashboardServer.localHost(null)).isFalse();
    }
}
