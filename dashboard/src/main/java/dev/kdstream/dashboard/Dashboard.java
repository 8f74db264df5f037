package dev.kdstream.dashboard;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.scrape.MetricsSource;
import dev.kdstream.dashboard.scrape.Scraper;
import dev.kdstream.dashboard.series.Recording;
import dev.kdstream.dashboard.series.RunFile;
import dev.kdstream.dashboard.series.Tick;
import dev.kdstream.dashboard.web.DashboardServer;

/**
 * The live page: scrapes the services' {@code /metrics} once a second, keeps the figures of the
 * last {@link #KEEP_TICKS} scrapes for the page, appends every one to the run's recording, and
 * serves the page. It reads only what the services publish, so the page shows what Prometheus
 * would, and works the same for {@code ./kd stack} (one JVM) and for separate processes.
 */
public final class Dashboard implements AutoCloseable {

    /** Scrapes the page keeps: two hours at one a second. */
    public static final int KEEP_TICKS = 7_200;
    static final long SCRAPE_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final Scraper scraper;
    private final Recording recording;
    private final AtomicReference<List<Scraper.SourceState>> states = new AtomicReference<>(List.of());
    private final Path recordFile;
    private final RunFile runFile;
    private final DashboardServer server;
    private final ScheduledExecutorService scraping = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "kd-dashboard-scrape");
        t.setDaemon(true);
        return t;
    });

    private Dashboard(final List<MetricsSource> sources, final InetSocketAddress address, final Path record) {
        this.scraper = new Scraper(sources);
        this.recording = new Recording(Layout.standard(), KEEP_TICKS);
        this.recordFile = record;
        // the file first: a recording that cannot be written leaves no server bound behind
        this.runFile = record == null ? null : RunFile.create(record);
        try {
            this.server = DashboardServer.start(address, recording, states::get);
        } catch (RuntimeException e) {
            if (runFile != null) {
                runFile.close();
            }
            throw e;
        }
    }

    /**
     * @param record where to append the run's figures for {@code ./kd report}, or null
     */
    public static Dashboard start(final List<MetricsSource> sources, final InetSocketAddress address,
                                  final Path record) {
        final Dashboard dashboard = new Dashboard(sources, address, record);
        // a fixed delay, not rate: a slow scrape is followed by a second's pause, never by a burst of
        // scrapes milliseconds apart whose rates would be noise
        dashboard.scraping.scheduleWithFixedDelay(dashboard::scrapeOnce, 0, SCRAPE_MILLIS, TimeUnit.MILLISECONDS);
        return dashboard;
    }

    private void scrapeOnce() {
        try {
            final Scraper.Scrape scrape = scraper.scrape();
            states.set(scrape.states());
            final Tick tick = recording.add(System.currentTimeMillis(), scrape.samples());
            if (runFile != null) {
                runFile.append(tick);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a failed tick is a gap on the page, never the end of the page
            LOG.warn("dashboard: a scrape failed: {}", e.toString());
        }
    }

    /** Where the figures are recorded, or null. */
    public Path recordFile() {
        return recordFile;
    }

    public String url() {
        return "http://localhost:" + server.port() + "/";
    }

    /** Stops scraping after one last scrape, so a recording ends with the figures of its end. */
    @Override
    public void close() {
        scraping.shutdownNow();
        boolean stopped = false;
        try {
            stopped = scraping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        if (!stopped) {
            // a scrape still running would write to a closed file: leave the file to the JVM's exit
            LOG.warn("dashboard: a scrape did not stop within 5 s; the recording ends without a last scrape");
            return;
        }
        scrapeOnce();
        if (runFile != null) {
            runFile.close();
        }
    }
}
