package dev.kdstream.contracts.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.kdstream.contracts.config.EnvironmentException;

/**
 * {@code /metrics} (Prometheus text format) and {@code /health} on a port, with the JDK's own
 * HTTP server: no web framework for two endpoints.
 *
 * <p>The JDK's server reads a request on the worker thread it hands the connection to, and by
 * default waits for the rest of a request for ever: with one worker, one client that sent half a
 * request would hold {@code /health} (what compose's health checks call) for good. So a few
 * workers, and time limits on reading a request and writing a response: a stalled connection is
 * closed after {@link #MAX_REQUEST_SECONDS}, freeing its worker
 * (docs/platform.md, "JDK HTTP server time limits").
 */
public final class MetricsServer implements AutoCloseable {

    /** Worker threads: a scrape and a health check at once, with room for a stalled client or two. */
    public static final int WORKERS = 4;
    /** Seconds a client has to send a whole request, {@code sun.net.httpserver.maxReqTime}. */
    public static final int MAX_REQUEST_SECONDS = 5;
    /** Seconds a client has to take a whole response, {@code sun.net.httpserver.maxRspTime}. */
    public static final int MAX_RESPONSE_SECONDS = 10;

    static {
        // read once, when the JDK's server class is first loaded: set here, before any HttpServer
        // of this process exists (a -D on the command line wins)
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(final HttpServer server, final ExecutorService executor) {
        this.executor = executor;
        this.server = server;
    }

    /**
     * On the loopback interface only.
     *
     * @param port    0 picks a free port (tests)
     * @param healthy answers /health: 200 "UP" or 503 "DOWN"
     */
    public static MetricsServer start(final int port, final PrometheusMeterRegistry registry,
                                      final BooleanSupplier healthy) {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), registry, healthy);
    }

    /** @param address where to listen ({@link dev.kdstream.contracts.config.KdConfig#metricsAddress}) */
    public static MetricsServer start(final InetSocketAddress address, final PrometheusMeterRegistry registry,
                                      final BooleanSupplier healthy) {
        final int port = address.getPort();
        try {
            final HttpServer server = HttpServer.create(address, 0);
            server.createContext("/metrics", exchange -> respond(exchange, 200,
                    "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
            server.createContext("/health", exchange -> {
                final boolean up = healthy.getAsBoolean();
                respond(exchange, up ? 200 : 503, "application/json",
                        "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
            });
            final AtomicInteger threads = new AtomicInteger();
            final ExecutorService executor = Executors.newFixedThreadPool(WORKERS, r -> {
                final Thread t = new Thread(r, "metrics-http-" + port + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            return new MetricsServer(server, executor);
        } catch (IOException e) {
            throw new EnvironmentException("cannot serve metrics on " + address + ": " + e.getMessage()
                    + " (set metrics.port / KD_METRICS_PORT, metrics.bind / KD_METRICS_BIND)", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return server.getAddress();
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

    private static void setIfAbsent(final String property, final int seconds) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(seconds));
        }
    }
}
