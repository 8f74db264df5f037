package dev.kdstream.student.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.kdstream.contracts.metrics.MetricNames;

/**
 * The server's own meters. The service tag comes from the registry's common tags. Bind it before
 * the topology runs: the processors count into the registry it was bound to last.
 */
public final class ServingMeters implements MeterBinder {

    /** {@link MetricNames#STAGE} values of {@link MetricNames#RECORDS}. */
    public static final String PREDICTED = "predicted";
    static final String HELD = "held";
    static final String REJECTED = "rejected";

    private Timer latency;
    private Counter predicted;
    private Counter held;
    private Counter rejected;

    @Override
    public void bindTo(final MeterRegistry registry) {
        // percentiles only: with SLO buckets as well, Prometheus gets only the histogram
        // (docs/platform.md, "Micrometer")
        latency = Timer.builder(MetricNames.PREDICTION_LATENCY)
                .description("event time of a feature record to its prediction")
                .tag(MetricNames.MODEL, MetricNames.DISTILLED)
                .publishPercentiles(0.5, 0.9, 0.99, 0.999)
                .register(registry);
        predicted = records(registry, PREDICTED, "feature records answered with a prediction");
        held = records(registry, HELD, "feature records held until the first student checkpoint arrives");
        rejected = records(registry, REJECTED,
                "invalid feature records skipped (dead-lettered by the teacher-service)");
    }

    /** Event time (the record's ts) to prediction made. */
    Timer latency() {
        return latency;
    }

    /** Records answered. */
    Counter predicted() {
        return predicted;
    }

    /** Records held because no model existed yet (each is counted again when predicted). */
    Counter held() {
        return held;
    }

    /** Invalid records skipped (the teacher-service dead-letters them). */
    Counter rejected() {
        return rejected;
    }

    private static Counter records(final MeterRegistry registry, final String stage, final String description) {
        return Counter.builder(MetricNames.RECORDS)
                .description(description)
                .baseUnit("records")
                .tag(MetricNames.STAGE, stage)
                .register(registry);
    }
}
