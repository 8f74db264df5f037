package dev.kdstream.dashboard.panel;

/**
 * The names Prometheus gives Micrometer's meters (dots to underscores, counters end in
 * {@code _total}, timers in {@code _seconds}), so the layout names its metrics by
 * {@link dev.kdstream.contracts.metrics.MetricNames} and nowhere else.
 */
public final class PrometheusNames {

    private PrometheusNames() {
    }

    public static String gauge(final String meter) {
        return meter.replace('.', '_');
    }

    public static String counter(final String meter) {
        return gauge(meter) + "_total";
    }

    public static String timer(final String meter) {
        return gauge(meter) + "_seconds";
    }
}
