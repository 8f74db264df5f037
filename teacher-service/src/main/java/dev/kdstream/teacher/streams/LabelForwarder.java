package dev.kdstream.teacher.streams;

import java.util.function.Supplier;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.LabelParser;
import dev.kdstream.contracts.records.LabelRecord;
import dev.kdstream.contracts.records.SoftTargetRecord;

/**
 * Passes each valid record of {@code labels} on to {@code soft-targets}, keyed by its id, as a
 * {@link dev.kdstream.contracts.records.Selection#LATE_LABEL} record; an invalid one goes to
 * {@code labels-dlq} byte for byte with the reason. Both in the teacher's exactly-once transactions.
 *
 * <p>Why through the teacher: keyed by id, a label lands on the soft-targets partition of its record,
 * so the trainer joins the two within one partition, in that partition's order. The trainer's join
 * is then a function of its input alone, and after a crash it rebuilds it exactly by reading that
 * input again from its checkpoint, with no state of its own to log (see the trainer's LabelJoin).
 * Nothing here is kept: the teacher cannot know whether a label's record is still to come.
 */
final class LabelForwarder implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(LabelForwarder.class);

    private final LabelParser parser;
    private final TeacherMetrics metrics;
    private final Supplier<Double> temperature;
    private final Supplier<String> ensembleVersion;
    private final String softTargetsChild;
    private final DeadLetterWriter deadLetters;
    private ProcessorContext<Object, Object> context;

    /**
     * @param temperature     T in force, stamped on the label as on the soft targets around it
     * @param ensembleVersion the ensemble annotating now, likewise
     */
    LabelForwarder(final LabelParser parser, final TeacherMetrics metrics, final Supplier<Double> temperature,
                   final Supplier<String> ensembleVersion, final String softTargetsChild,
                   final String deadLetterChild) {
        this.parser = parser;
        this.metrics = metrics;
        this.temperature = temperature;
        this.ensembleVersion = ensembleVersion;
        this.softTargetsChild = softTargetsChild;
        this.deadLetters = new DeadLetterWriter(metrics, deadLetterChild, "label", LOG);
    }

    @Override
    public void init(final ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final LabelRecord label;
        try {
            label = parser.parse(record.value(), record.timestamp());
        } catch (InvalidRecordException e) {
            deadLetters.send(context, record, e);
            return;
        }
        context.forward(new Record<Object, Object>(label.id(),
                SoftTargetRecord.lateLabel(label, temperature.get(), ensembleVersion.get()), record.timestamp()),
                softTargetsChild);
        metrics.labelForwarded();
    }
}
