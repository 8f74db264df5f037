package dev.kdstream.contracts.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's HTTP server as kd-stream's endpoints run it ({@code /metrics}, the live page): a few
 * daemon workers, and time limits on reading a request and writing a response.
 *
 * <p>The JDK's server reads a request on the worker thread it hands the connection to, and by
 * default waits for the rest of a request for ever: with few workers, one client that sent half a
 * request would hold a worker for good. A stalled connection is closed after
 * {@link #MAX_REQUEST_SECONDS}, freeing its worker (docs/platform.md, "JDK HTTP server time limits").
 */
public final class HttpEndpoint implements AutoCloseable {

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

    private HttpEndpoint(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param name     names the worker threads, e.g. {@code metrics-http}
     * @param contexts URL path prefix to its handler
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public static HttpEndpoint start(final InetSocketAddress address, final String name, final int workers,
                                     final Map<String, HttpHandler> contexts) throws IOException {
        final HttpServer server = HttpServer.create(address, 0);
        contexts.forEach(server::createContext);
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService executor = Executors.newFixedThreadPool(workers, r -> {
            final Thread t = new Thread(r, name + "-" + address.getPort() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new HttpEndpoint(server, executor);
    }

    /** One whole response, then the exchange closed. */
    public static void respond(final HttpExchange exchange, final int status, final String contentType,
                               final byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        // HttpServer.stop leaves the executor it was given running
        executor.shutdown();
    }

    private static void setIfAbsent(final String property, final int seconds) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(seconds));
        }
    }
}
