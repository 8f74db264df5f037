package dev.kdstream.student.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.kdstream.contracts.metrics.MetricNames;

/**
 * The server's own meters. The service tag comes from the registry's common tags.
 *
 * @param latency   event time (the record's ts) to prediction made
 * @param predicted records answered
 * @param held      records held because no model existed yet (each is counted again when predicted)
 * @param rejected  invalid records skipped (the teacher-service dead-letters them)
 */
public record ServingMeters(Timer latency, Counter predicted, Counter held, Counter rejected) {

    /** {@link MetricNames#STAGE} values of {@link MetricNames#RECORDS}. */
    public static final String PREDICTED = "predicted";
    static final String HELD = "held";
    static final String REJECTED = "rejected";

    static ServingMeters register(final MeterRegistry registry) {
        // percentiles only: with SLO buckets as well, Prometheus gets only the histogram (docs/platform.md, "Micrometer")
        final Timer latency = Timer.builder(MetricNames.PREDICTION_LATENCY)
                .description("event time of a feature record to its prediction")
                .tag(MetricNames.MODEL, MetricNames.DISTILLED)
                .publishPercentiles(0.5, 0.9, 0.99, 0.999)
                .register(registry);
        return new ServingMeters(latency, records(registry, PREDICTED, "feature records answered with a prediction"),
                records(registry, HELD, "feature records held until the first student checkpoint arrives"),
                records(registry, REJECTED, "invalid feature records skipped (dead-lettered by the teacher-service)"));
    }

    private static Counter records(final MeterRegistry registry, final String stage, final String description) {
        return Counter.builder(MetricNames.RECORDS)
                .description(description)
                .baseUnit("records")
                .tag(MetricNames.STAGE, stage)
                .register(registry);
    }
}
