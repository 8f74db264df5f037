package dev.kdstream.dashboard.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.panel.Panel;
import dev.kdstream.dashboard.panel.Tile;
import dev.kdstream.dashboard.scrape.Scraper.SourceState;
import dev.kdstream.dashboard.series.Recording;
import dev.kdstream.dashboard.series.RunFile;
import dev.kdstream.dashboard.series.Tick;

/**
 * The page and its data, on the JDK's HTTP server (the services' {@code /metrics} use it too: a
 * page, a few static files and two JSON answers need no framework). The page polls
 * {@code /api/ticks?after=SEQ} once a second; everything it draws comes from there.
 */
public final class DashboardServer implements AutoCloseable {

    /** The static files, by URL path: a fixed list, so no request can name another resource. */
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css",
            "/vendor/uPlot.iife.min.js", "vendor/uPlot.iife.min.js",
            "/vendor/uPlot.min.css", "vendor/uPlot.min.css",
            "/vendor/uPlot.LICENSE", "vendor/uPlot.LICENSE");

    private final HttpServer server;
    private final ExecutorService executor;

    private DashboardServer(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param states the sources' states at the newest scrape
     */
    public static DashboardServer start(final InetSocketAddress address, final Recording recording,
                                        final Supplier<List<SourceState>> states) {
        final HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new EnvironmentException("cannot serve the dashboard on " + address + " (" + e.getMessage()
                    + "): is the port in use? Choose another with --dashboard-port", e);
        }
        final byte[] layout = json(layoutJson(recording.layout()));
        server.createContext("/api/layout", exchange -> respond(exchange, 200, "application/json", layout));
        server.createContext("/api/ticks", exchange -> respond(exchange, 200, "application/json",
                json(ticksJson(recording.after(after(exchange.getRequestURI())), states.get()))));
        server.createContext("/", exchange -> {
            final String file = FILES.get(exchange.getRequestURI().getPath());
            if (file == null) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes());
                return;
            }
            respond(exchange, 200, contentType(file), resource(file));
        });
        final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            final Thread t = new Thread(r, "kd-dashboard-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new DashboardServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static Map<String, Object> layoutJson(final Layout layout) {
        final List<Object> tiles = new ArrayList<>();
        for (final Tile t : layout.tiles()) {
            final Map<String, Object> tile = new LinkedHashMap<>();
            tile.put("id", t.id());
            tile.put("title", t.title());
            tile.put("unit", t.unit().name());
            tile.put("named", t.named());
            tile.put("prefix", t.key(""));
            tile.put("detail", t.detail() == null ? null : t.extraKey(t.detail().legend()));
            tile.put("lower", t.lower() == null ? null : t.extraKey(t.lower().legend()));
            tile.put("upper", t.upper() == null ? null : t.extraKey(t.upper().legend()));
            tiles.add(tile);
        }
        final List<Object> panels = new ArrayList<>();
        for (final Panel p : layout.panels()) {
            final Map<String, Object> panel = new LinkedHashMap<>();
            panel.put("id", p.id());
            panel.put("title", p.title());
            panel.put("window", p.window());
            panel.put("unit", p.unit().name());
            panel.put("prefix", p.key(""));
            panel.put("band", p.band() == null ? null
                    : Map.of("lower", p.key(p.band().lower()), "upper", p.key(p.band().upper())));
            panel.put("range", p.range() == null ? null : List.of(p.range().min(), p.range().max()));
            panels.add(panel);
        }
        return Map.of("tiles", tiles, "panels", panels);
    }

    static Map<String, Object> ticksJson(final List<Tick> ticks, final List<SourceState> states) {
        final List<Object> sources = new ArrayList<>();
        for (final SourceState s : states) {
            final Map<String, Object> source = new LinkedHashMap<>();
            source.put("name", s.source().name());
            source.put("url", s.source().url().toString());
            source.put("up", s.up());
            source.put("error", s.error());
            sources.add(source);
        }
        return Map.of("ticks", ticks.stream().map(RunFile::toJson).toList(), "sources", sources);
    }

    /** The {@code after} query parameter, 0 when absent or not a number. */
    static long after(final URI uri) {
        final String query = uri.getRawQuery();
        if (query != null) {
            for (final String pair : query.split("&")) {
                if (pair.startsWith("after=")) {
                    try {
                        return Long.parseLong(pair.substring("after=".length()));
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    private static byte[] resource(final String file) {
        try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(final String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/plain; charset=utf-8";
    }

    private static byte[] json(final Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final byte[] body)
            throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
