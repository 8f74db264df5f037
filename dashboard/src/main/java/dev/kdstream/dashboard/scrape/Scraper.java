package dev.kdstream.dashboard.scrape;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads every source's {@code /metrics} once per call, as Prometheus would. A source that does
 * not answer is reported as down with the reason; the others' samples are still returned.
 */
public final class Scraper {

    /** A scrape that takes longer than this counts as failed: the page ticks once a second. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final List<MetricsSource> sources;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public Scraper(final List<MetricsSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public List<MetricsSource> sources() {
        return sources;
    }

    /** One source's answer: up with its samples, or down with why. */
    public record SourceState(MetricsSource source, boolean up, String error, int unreadableLines) {
    }

    /** Every source's samples together, and each source's state. */
    public record Scrape(List<Sample> samples, List<SourceState> states) {
    }

    public Scrape scrape() throws InterruptedException {
        final List<Sample> samples = new ArrayList<>();
        final List<SourceState> states = new ArrayList<>();
        // every request out first: a source that stalls costs the scrape one TIMEOUT, not one each
        final List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (final MetricsSource source : sources) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(source.url()).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int i = 0; i < sources.size(); i++) {
            final MetricsSource source = sources.get(i);
            final CompletableFuture<HttpResponse<String>> call = calls.get(i);
            try {
                // the request's own timeout ends at the response headers: a body that stalls is cut here
                final HttpResponse<String> response = call.get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                if (response.statusCode() != 200) {
                    states.add(new SourceState(source, false, "HTTP " + response.statusCode(), 0));
                    continue;
                }
                final PrometheusText.Parsed parsed = PrometheusText.parse(response.body());
                samples.addAll(parsed.samples());
                states.add(new SourceState(source, true, "", parsed.unreadableLines()));
            } catch (TimeoutException e) {
                call.cancel(true);
                states.add(new SourceState(source, false, "no answer within " + TIMEOUT.toSeconds() + " s", 0));
            } catch (ExecutionException e) {
                final Throwable cause = e.getCause();
                states.add(new SourceState(source, false, cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), 0));
            }
        }
        return new Scrape(samples, states);
    }
}
