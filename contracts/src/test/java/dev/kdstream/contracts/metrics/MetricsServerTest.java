package dev.kdstream.contracts.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class MetricsServerTest {

    @Test
    void servesPrometheusTextAndHealth() throws Exception {
        final AtomicBoolean up = new AtomicBoolean(true);
        try (ServiceMetrics metrics = new ServiceMetrics("test");
             MetricsServer server = MetricsServer.start(0, metrics.registry(), up::get)) {
            metrics.registry().counter(MetricNames.RECORDS, MetricNames.STAGE, "seen").increment(3);
            final HttpClient http = HttpClient.newHttpClient();
            final String base = "http://localhost:" + server.port();
            final HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("kd_records_total{service=\"test\",stage=\"seen\"} 3.0")
                    .contains("jvm_memory_used_bytes");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            up.set(false);
            final HttpResponse<String> down = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("DOWN");
        }
    }
}
