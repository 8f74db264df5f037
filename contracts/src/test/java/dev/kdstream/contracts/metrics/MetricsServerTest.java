package dev.kdstream.contracts.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class MetricsServerTest {

    @Test
    void listensOnLoopbackOnlyUnlessGivenAnAddress() throws Exception {
        try (ServiceMetrics metrics = new ServiceMetrics("test");
             MetricsServer server = MetricsServer.start(0, metrics, () -> true)) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void servesPrometheusTextAndHealth() throws Exception {
        final AtomicBoolean up = new AtomicBoolean(true);
        try (ServiceMetrics metrics = new ServiceMetrics("test");
             MetricsServer server = MetricsServer.start(0, metrics, up::get)) {
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

    /** Compose's health checks call /health: a client that stops mid-request must not hold it up. */
    @Test
    void halfSentRequestsDoNotBlockHealth() throws Exception {
        final List<Socket> stalled = new ArrayList<>();
        try (ServiceMetrics metrics = new ServiceMetrics("test");
             MetricsServer server = MetricsServer.start(0, metrics, () -> true)) {
            // as many stalled clients as the pool has threads but one: the last thread answers
            for (int i = 0; i < MetricsServer.WORKERS - 1; i++) {
                stalled.add(halfRequest(server.port()));
            }
            // give the dispatcher time to hand each of them to a worker, which then blocks reading
            Thread.sleep(300);
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            final HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + server.port() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            for (final Socket s : stalled) {
                s.close();
            }
        }
    }

    /** A stalled client is cut off after the request time limit, so stalled clients cannot take every worker. */
    @Test
    void stalledRequestIsClosedAfterTheTimeLimit() throws Exception {
        try (ServiceMetrics metrics = new ServiceMetrics("test");
             MetricsServer server = MetricsServer.start(0, metrics, () -> true);
             Socket stalled = halfRequest(server.port())) {
            final long limitMillis = HttpEndpoint.MAX_REQUEST_SECONDS * 1000L;
            // the JDK's timer looks every second: the limit plus two
            stalled.setSoTimeout((int) limitMillis + 2000);
            final long start = System.nanoTime();
            final InputStream in = stalled.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertThat(read).as("server closed the stalled connection").isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(limitMillis + 2000);
        }
    }

    /** A request line and a header, without the blank line that ends the request. */
    private static Socket halfRequest(final int port) throws Exception {
        final Socket s = new Socket("localhost", port);
        final OutputStream out = s.getOutputStream();
        out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }
}
