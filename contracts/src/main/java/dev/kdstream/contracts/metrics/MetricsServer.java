package dev.kdstream.contracts.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.kdstream.contracts.config.EnvironmentException;

/**
 * {@code /metrics} (Prometheus text format) and {@code /health} on a port, with the JDK's own
 * HTTP server: no web framework for two endpoints.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(final HttpServer server, final ExecutorService executor) {
        this.executor = executor;
        this.server = server;
    }

    /**
     * @param port    0 picks a free port (tests)
     * @param healthy answers /health: 200 "UP" or 503 "DOWN"
     */
    public static MetricsServer start(final int port, final PrometheusMeterRegistry registry,
                                      final BooleanSupplier healthy) {
        try {
            final HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            server.createContext("/metrics", exchange -> respond(exchange, 200,
                    "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
            server.createContext("/health", exchange -> {
                final boolean up = healthy.getAsBoolean();
                respond(exchange, up ? 200 : 503, "application/json",
                        "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
            });
            final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                final Thread t = new Thread(r, "metrics-http-" + port);
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            return new MetricsServer(server, executor);
        } catch (IOException e) {
            throw new EnvironmentException("cannot serve metrics on port " + port + ": " + e.getMessage()
                    + " (set metrics.port / KD_METRICS_PORT)", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        // HttpServer.stop leaves the executor it was given running
        executor.shutdown();
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType,
                                final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
