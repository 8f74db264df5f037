package dev.kdstream.teacher.budget;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.metrics.MetricNames;

/**
 * The processor of the teacher's global store over the {@code control} topic: each record's
 * settings, laid over the teacher's own configuration, become the budget in force, unless they are
 * not a valid budget; then the record is refused, with the reason in the log and
 * {@code kd_control_refused_total{reason}}, and nothing changes. The annotator tasks take a new
 * budget at their next record. A record with no settings (or a tombstone) returns to the teacher's
 * own configuration, under its own version. On a restart the topic is read again from its start:
 * an old refused record is logged and counted again.
 */
public final class ControlLoader implements Processor<String, byte[], Void, Void> {

    /** {@link MetricNames#REASON}s of a refused control record. */
    static final String MALFORMED = "malformed";
    static final String INVALID = "invalid";

    private static final Logger LOG = LoggerFactory.getLogger(ControlLoader.class);

    private final KdConfig own;
    private final AtomicReference<LiveBudget> live;
    private final MeterRegistry registry;
    private ProcessorContext<Void, Void> context;

    /**
     * @param own  the teacher's configuration, which the live settings are laid over
     * @param live where the budget in force is kept, for the annotator tasks to read
     */
    public ControlLoader(final KdConfig own, final AtomicReference<LiveBudget> live, final MeterRegistry registry) {
        this.own = own;
        this.live = live;
        this.registry = registry;
    }

    /** {@link MetricNames#CONTROL_VERSION}: the control version in force, -1 for the teacher's own configuration. */
    public static void bind(final AtomicReference<LiveBudget> live, final MeterRegistry registry) {
        Gauge.builder(MetricNames.CONTROL_VERSION, live, l -> l.get().version())
                .description("offset of the control record in force, -1 for the service's own configuration")
                .register(registry);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final long version = context.recordMetadata().map(m -> m.offset()).orElse(LiveBudget.CONFIGURED);
        final LiveSettings settings;
        final LiveBudget next;
        try {
            settings = LiveSettings.fromBytes(record.value());
        } catch (IllegalArgumentException e) {
            refuse(MALFORMED, version, e.getMessage());
            return;
        }
        try {
            next = LiveBudget.of(own.with(settings.global()), version);
        } catch (IllegalArgumentException e) {
            refuse(INVALID, version, e.getMessage());
            return;
        }
        final LiveBudget before = live.getAndSet(next);
        if (!before.budget().equals(next.budget()) || !Objects.equals(before.temperature(), next.temperature())) {
            LOG.info("control version {} ({}{}): teacher budget now {}, was {}; temperature {}", version, settings,
                    settings.by().isEmpty() ? "" : ", by " + settings.by(), next.budget(), before.budget(),
                    next.temperature() == null ? "the ensemble's" : next.temperature());
        }
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
    }

    private void refuse(final String reason, final long version, final String why) {
        Counter.builder(MetricNames.CONTROL_REFUSED)
                .description("control records refused: not a control record, or not a valid setting")
                .tag(MetricNames.REASON, reason)
                .register(registry)
                .increment();
        LOG.warn("refusing control version {} ({}): {}; the teacher budget stays {} (control version {})", version,
                reason, why, live.get().budget(), live.get().version());
    }
}
