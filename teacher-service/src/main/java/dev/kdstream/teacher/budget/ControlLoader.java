package dev.kdstream.teacher.budget;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.ControlMeters;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.model.served.CurrentModel;

/**
 * The processor of the teacher's global store over the {@code control} topic: each record's
 * settings, laid over the teacher's own configuration, become the budget and the temperature in
 * force, and the student the samplers look at follows {@code server.student}, unless they are
 * not a valid budget; then the record is refused, with the reason in the log and
 * {@code kd_control_refused_total{reason}}, and nothing changes. The annotator tasks take a new
 * budget at their next record. A record with no settings (or a tombstone) returns to the teacher's
 * own configuration, under its own version. On a restart the topic is read again from its start:
 * an old refused record is logged and counted again.
 */
public final class ControlLoader implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ControlLoader.class);

    private final KdConfig own;
    private final AtomicReference<LiveBudget> live;
    private final CurrentModel student;
    private final ControlMeters meters;
    private ProcessorContext<Void, Void> context;

    /**
     * @param own  the teacher's configuration, which the live settings are laid over
     * @param live where the budget in force is kept, for the annotator tasks to read
     */
    public ControlLoader(final KdConfig own, final AtomicReference<LiveBudget> live, final CurrentModel student,
                         final ControlMeters meters) {
        this.own = own;
        this.live = live;
        this.student = student;
        this.meters = meters;
    }

    /** The teacher's {@link ControlMeters}, reading the version in force from {@code live}. */
    public static ControlMeters meters(final AtomicReference<LiveBudget> live, final MeterRegistry registry) {
        return new ControlMeters(registry, MetricNames.TEACHER, () -> live.get().version());
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final long version = context.recordMetadata().map(m -> m.offset()).orElse(LiveBudget.CONFIGURED);
        final LiveSettings settings;
        final LiveBudget next;
        final String served;
        try {
            settings = LiveSettings.fromBytes(record.value());
        } catch (IllegalArgumentException e) {
            refuse(ControlMeters.MALFORMED, version, e.getMessage());
            return;
        }
        try {
            final KdConfig live = own.with(settings.global());
            next = LiveBudget.of(live, version);
            served = live.servedStudent();
        } catch (IllegalArgumentException e) {
            refuse(ControlMeters.INVALID, version, e.getMessage());
            return;
        }
        // the samplers look at the student the servers serve
        student.choose(served);
        final LiveBudget before = live.getAndSet(next);
        if (!before.budget().equals(next.budget()) || !Objects.equals(before.temperature(), next.temperature())
                || before.driftBoost() != next.driftBoost() || before.refresh() != next.refresh()) {
            LOG.info("control version {} ({}{}): teacher budget now {}, was {}; temperature {}; drift boost {} records; "
                    + "refresh {}", version, settings, settings.by().isEmpty() ? "" : ", by " + settings.by(),
                    next.budget(), before.budget(), next.temperature() == null ? "the ensemble's" : next.temperature(),
                    next.driftBoost(), next.refresh() ? "on" : "off");
        }
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
    }

    private void refuse(final String reason, final long version, final String why) {
        meters.refused(reason);
        LOG.warn("refusing control version {} ({}): {}; the teacher budget stays {} (control version {})", version,
                reason, why, live.get().budget(), live.get().version());
    }
}
