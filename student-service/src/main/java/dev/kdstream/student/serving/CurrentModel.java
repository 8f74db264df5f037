package dev.kdstream.student.serving;

import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.metrics.MetricNames;

/**
 * The student a server replica is serving now. The checkpoint loader (the global thread) swaps it;
 * the stream threads read it once per record: no pause and no lock on the hot path.
 */
public final class CurrentModel {

    /** {@link MetricNames#STAGE} value of the served version: tells it apart from the trainer's written one. */
    public static final String SERVING = "serving";

    private final AtomicReference<ServedStudent> model = new AtomicReference<>();

    /** The model to predict with, or null before the first checkpoint. */
    public ServedStudent get() {
        return model.get();
    }

    /** The served version, 0 before the first checkpoint. */
    public long version() {
        final ServedStudent m = model.get();
        return m == null ? 0 : m.version();
    }

    /** Whether a checkpoint of this version would replace the model being served. */
    public boolean isNewer(final long version) {
        return version > version();
    }

    /**
     * Serves {@code candidate} if it is newer than the current model.
     *
     * @return true if it replaced the current model
     */
    public boolean offer(final ServedStudent candidate) {
        final ServedStudent before = model.getAndAccumulate(candidate,
                (current, next) -> current == null || next.version() > current.version() ? next : current);
        return before == null || candidate.version() > before.version();
    }

    /** {@link MetricNames#MODEL_VERSION} of the served model. */
    public void bindTo(final MeterRegistry registry) {
        Gauge.builder(MetricNames.MODEL_VERSION, this, CurrentModel::version)
                .description("version of the student checkpoint being served")
                .tag(MetricNames.MODEL, MetricNames.DISTILLED)
                .tag(MetricNames.STAGE, SERVING)
                .strongReference(true)
                .register(registry);
    }
}
