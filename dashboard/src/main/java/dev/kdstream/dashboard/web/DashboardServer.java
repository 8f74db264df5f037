package dev.kdstream.dashboard.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.metrics.HttpEndpoint;
import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.panel.Panel;
import dev.kdstream.dashboard.panel.Tile;
import dev.kdstream.dashboard.scrape.Scraper.SourceState;
import dev.kdstream.dashboard.series.Recording;
import dev.kdstream.dashboard.series.RunFile;
import dev.kdstream.dashboard.series.Tick;

/**
 * The page and its data, on the JDK's HTTP server as {@link HttpEndpoint} runs it for the services'
 * {@code /metrics} too (a page, a few static files and two JSON answers need no framework). The
 * page polls {@code /api/ticks?after=SEQ} once a second; everything it draws comes from there.
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

    /** Workers: the page's poll and a reload at once, with room for a stalled client. */
    private static final int WORKERS = 3;

    private final HttpEndpoint endpoint;

    private DashboardServer(final HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * @param states the sources' states at the newest scrape
     */
    public static DashboardServer start(final InetSocketAddress address, final Recording recording,
                                        final Supplier<List<SourceState>> states) {
        final byte[] layout = json(layoutJson(recording.layout()));
        final Map<String, HttpHandler> contexts = Map.of(
                "/api/layout", localOnly(exchange -> respond(exchange, 200, "application/json", layout)),
                "/api/ticks", localOnly(exchange -> respond(exchange, 200, "application/json",
                        json(ticksJson(recording.id(), recording.after(after(exchange.getRequestURI())),
                                states.get())))),
                "/", localOnly(exchange -> {
                    final String file = FILES.get(exchange.getRequestURI().getPath());
                    if (file == null) {
                        respond(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                    } else {
                        respond(exchange, 200, contentType(file), resource(file));
                    }
                }));
        try {
            return new DashboardServer(HttpEndpoint.start(address, "kd-dashboard-http", WORKERS, contexts));
        } catch (IOException e) {
            throw new EnvironmentException("cannot serve the dashboard on " + address + " (" + e.getMessage()
                    + "): is the port in use? Choose another with --dashboard-port (./kd stack) or --port", e);
        }
    }

    public int port() {
        return endpoint.port();
    }

    @Override
    public void close() {
        endpoint.close();
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

    static Map<String, Object> ticksJson(final String run, final List<Tick> ticks, final List<SourceState> states) {
        final List<Object> sources = new ArrayList<>();
        for (final SourceState s : states) {
            final Map<String, Object> source = new LinkedHashMap<>();
            source.put("name", s.source().name());
            source.put("url", s.source().url().toString());
            source.put("up", s.up());
            source.put("error", s.error());
            sources.add(source);
        }
        return Map.of("run", run, "ticks", ticks.stream().map(RunFile::toJson).toList(), "sources", sources);
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

    /**
     * {@code handler} for requests to localhost only, checked before it does any work: a page elsewhere
     * that points a name of its own at 127.0.0.1 (DNS rebinding) reads nothing.
     */
    private static HttpHandler localOnly(final HttpHandler handler) {
        return exchange -> {
            if (localHost(exchange.getRequestHeaders().getFirst("Host"))) {
                handler.handle(exchange);
            } else {
                HttpEndpoint.respond(exchange, 403, "text/plain; charset=utf-8",
                        "the dashboard answers requests for localhost only\n".getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final byte[] body)
            throws IOException {
        // the page polls: never a cached answer
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        HttpEndpoint.respond(exchange, status, type, body);
    }

    /** Whether a request's Host names this machine's loopback: localhost, 127.0.0.1 or [::1], any port. */
    static boolean localHost(final String host) {
        if (host == null) {
            return false;
        }
        final String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return name.equalsIgnoreCase("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }
}
