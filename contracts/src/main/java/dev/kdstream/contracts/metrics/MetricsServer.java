package dev.kdstream.contracts.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.kdstream.contracts.config.EnvironmentException;

/**
 * {@code /metrics} (Prometheus text format) and {@code /health} on a port, on the JDK's own HTTP
 * server ({@link HttpEndpoint}: a few workers and time limits): no web framework for two endpoints.
 */
public final class MetricsServer implements AutoCloseable {

    /** Worker threads: a scrape and a health check at once, with room for a stalled client or two. */
    public static final int WORKERS = 4;

    private final HttpEndpoint endpoint;

    private MetricsServer(final HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * On the loopback interface only.
     *
     * @param port    0 picks a free port (tests)
     * @param healthy answers /health: 200 "UP" or 503 "DOWN"
     */
    public static MetricsServer start(final int port, final ServiceMetrics metrics, final BooleanSupplier healthy) {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), metrics, healthy);
    }

    /**
     * @param address where to listen ({@link dev.kdstream.contracts.config.KdConfig#metricsAddress})
     * @param metrics scraped with {@link ServiceMetrics#scrape}, so its scrape hooks run
     */
    public static MetricsServer start(final InetSocketAddress address, final ServiceMetrics metrics,
                                      final BooleanSupplier healthy) {
        try {
            return new MetricsServer(HttpEndpoint.start(address, "metrics-http", WORKERS, Map.of(
                    "/metrics", exchange -> HttpEndpoint.respond(exchange, 200,
                            "text/plain; version=0.0.4; charset=utf-8", utf8(metrics.scrape())),
                    "/health", exchange -> {
                        final boolean up = healthy.getAsBoolean();
                        HttpEndpoint.respond(exchange, up ? 200 : 503, "application/json",
                                utf8("{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}"));
                    })));
        } catch (IOException e) {
            throw new EnvironmentException("cannot serve metrics on " + address + ": " + e.getMessage()
                    + " (set metrics.port / KD_METRICS_PORT, metrics.bind / KD_METRICS_BIND)", e);
        }
    }

    public int port() {
        return endpoint.port();
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return endpoint.address();
    }

    @Override
    public void close() {
        endpoint.close();
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
