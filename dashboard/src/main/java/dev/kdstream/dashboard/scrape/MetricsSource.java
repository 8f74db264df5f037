package dev.kdstream.dashboard.scrape;

import java.net.URI;
import java.net.URISyntaxException;

/** A service's {@code /metrics} endpoint and the name the page gives it. */
public record MetricsSource(String name, URI url) {

    /** {@code NAME=URL}, e.g. {@code teacher=http://localhost:9401/metrics}, as {@code --metrics} takes it. */
    public static MetricsSource parse(final String spec) {
        final int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("expected NAME=URL (e.g. teacher=http://localhost:9401/metrics), got '"
                    + spec + "'");
        }
        final String url = spec.substring(eq + 1);
        try {
            final URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + url + "' is not an http(s) URL with a host");
            }
            return new MetricsSource(spec.substring(0, eq), uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getMessage(), e);
        }
    }
}
