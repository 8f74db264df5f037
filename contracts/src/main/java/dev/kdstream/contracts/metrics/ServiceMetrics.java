package dev.kdstream.contracts.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A service's Prometheus registry, tagged with the service name, with the JVM and process
 * binders bound. Close it on shutdown: it closes the binders that hold resources (the GC
 * binder's listeners, Kafka client metrics) with it.
 */
public final class ServiceMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Bound binders that hold resources, closed with the registry. */
    private final List<AutoCloseable> closeable = new ArrayList<>();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private final List<Runnable> afterScrape = new CopyOnWriteArrayList<>();

    public ServiceMetrics(final String service) {
        registry.config().commonTags(MetricNames.SERVICE, service);
        for (final MeterBinder binder : List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics())) {
            bind(binder);
        }
    }

    /** Binds {@code binder} to this registry, and closes it on {@link #close()} if it holds resources. */
    public <B extends MeterBinder> B bind(final B binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable c) {
            synchronized (closeable) {
                closeable.add(c);
            }
        }
        return binder;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Runs {@code before} at the start and {@code after} at the end of every {@link #scrape}: for
     * meters that must agree with one another (a binder takes one snapshot that all its gauges read
     * during the scrape, so one scrape never mixes two snapshots, and lets it go after).
     *
     * @return removes the hooks
     */
    public AutoCloseable aroundEachScrape(final Runnable before, final Runnable after) {
        beforeScrape.add(before);
        afterScrape.add(after);
        return () -> {
            beforeScrape.remove(before);
            afterScrape.remove(after);
        };
    }

    /** The Prometheus text of every meter, one scrape at a time, inside the {@link #aroundEachScrape} hooks. */
    public synchronized String scrape() {
        beforeScrape.forEach(Runnable::run);
        try {
            return registry.scrape();
        } finally {
            afterScrape.forEach(Runnable::run);
        }
    }

    @Override
    public void close() {
        synchronized (closeable) {
            for (final AutoCloseable c : closeable) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // shutting down: a binder that fails to close leaves only stale meters behind
                }
            }
            closeable.clear();
        }
        registry.close();
    }
}
