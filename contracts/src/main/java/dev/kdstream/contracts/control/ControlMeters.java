package dev.kdstream.contracts.control;

import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.metrics.MetricNames;

/**
 * What every reader of the {@code control} topic reports: the control version it runs with
 * ({@code kd_control_version}, -1 for its own configuration) and the records it refused
 * ({@code kd_control_refused_total{reason}}), tagged with the part of the service that reads it.
 */
public final class ControlMeters implements AutoCloseable {

    /** {@link MetricNames#REASON}: not a control record (not JSON, too large, an unknown key). */
    public static final String MALFORMED = "malformed";
    /** {@link MetricNames#REASON}: a control record whose settings this part refuses (out of range, wrong type). */
    public static final String INVALID = "invalid";

    private final MeterRegistry registry;
    private final String part;

    /**
     * @param part    {@link MetricNames#PART}: teacher, trainer or server
     * @param version the control version in force, read from any thread
     */
    public ControlMeters(final MeterRegistry registry, final String part, final LongSupplier version) {
        this.registry = registry;
        this.part = part;
        Gauge.builder(MetricNames.CONTROL_VERSION, version, v -> (double) v.getAsLong())
                .description("offset of the control record in force, -1 for the service's own configuration")
                .tag(MetricNames.PART, part)
                .strongReference(true)
                .register(registry);
    }

    /**
     * Removes this part's meters, so that a part restarted on the same registry (the stack restarts
     * its trainer) registers its own instead of getting these back, holding the old one's state.
     */
    @Override
    public void close() {
        registry.find(MetricNames.CONTROL_VERSION).tag(MetricNames.PART, part).meters().forEach(registry::remove);
        registry.find(MetricNames.CONTROL_REFUSED).tag(MetricNames.PART, part).meters().forEach(registry::remove);
    }

    public void refused(final String reason) {
        Counter.builder(MetricNames.CONTROL_REFUSED)
                .description("control records refused: not a control record, or not a valid setting")
                .tag(MetricNames.PART, part)
                .tag(MetricNames.REASON, reason)
                .register(registry)
                .increment();
    }
}
