package dev.kdstream.student.serving;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.ControlMeters;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.model.served.CurrentModel;

/**
 * The processor of the server's global store over the {@code control} topic: {@code server.student}
 * chooses the trainer whose student every replica serves, {@code server.shadows} those it runs in its
 * shadow (the configured ones when the record does not set them). The stream threads take the choice
 * at their next record. A blank {@code server.student} is the configured one. A record that is not a
 * control record is refused with the reason in the log and {@code kd_control_refused_total}.
 */
final class ServedStudentControl implements Processor<String, byte[], Void, Void> {

    /** The version before any control record: the server's own configuration. */
    static final long CONFIGURED = -1;

    private static final Logger LOG = LoggerFactory.getLogger(ServedStudentControl.class);

    private final KdConfig own;
    private final CurrentModel model;
    private final AtomicLong version;
    private final ControlMeters meters;
    private ProcessorContext<Void, Void> context;

    /** @param own the server's configuration, which the live settings are laid over */
    ServedStudentControl(final KdConfig own, final CurrentModel model, final AtomicLong version,
                         final ControlMeters meters) {
        this.own = own;
        this.model = model;
        this.version = version;
        this.meters = meters;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final long offset = context.recordMetadata().map(m -> m.offset()).orElse(CONFIGURED);
        final LiveSettings settings;
        try {
            settings = LiveSettings.fromBytes(record.value());
        } catch (IllegalArgumentException e) {
            refuse(ControlMeters.MALFORMED, offset, e.getMessage());
            return;
        }
        final KdConfig live = own.with(settings.global());
        final String chosen = live.servedStudent();
        final List<String> shadows = live.shadowStudents();
        version.set(offset);
        final CurrentModel.Roster before = model.roster();
        if (!shadows.equals(before.shadows())) {
            model.shadow(shadows);
            LOG.info("control version {}: shadow students now {}, were {}", offset, shadows, before.shadows());
        }
        if (chosen.equals(before.wanted())) {
            return;
        }
        if (model.choose(chosen)) {
            LOG.info("control version {}{}: serving trainer '{}' (version {}), was '{}'", offset,
                    settings.by().isEmpty() ? "" : " by " + settings.by(), chosen, model.version(), before.served());
        } else {
            LOG.warn("control version {}{}: trainer '{}' has no checkpoint yet: still serving '{}' until its first "
                    + "one arrives", offset, settings.by().isEmpty() ? "" : " by " + settings.by(), chosen,
                    before.served());
        }
    }

    private void refuse(final String reason, final long offset, final String why) {
        meters.refused(reason);
        LOG.warn("refusing control version {} ({}): {}; still serving trainer '{}' (control version {})", offset,
                reason, why, model.roster().served(), version.get());
    }
}
