package dev.kdstream.model.served;

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

    /**
     * Serves {@code candidate} from now on: the newest checkpoint on the topic, whatever its version
     * (a trainer that was reset starts again at 1; a stray checkpoint at a huge version must not pin
     * the server).
     *
     * @return the model served before, or null
     */
    public ServedStudent serve(final ServedStudent candidate) {
        return model.getAndSet(candidate);
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
