package dev.kdstream.student.serving;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.LabelParser;
import dev.kdstream.contracts.records.LabelRecord;
import dev.kdstream.model.served.CurrentModel;
import dev.kdstream.model.served.ServedStudent;

/**
 * Reads {@code labels} and has the {@link ServedLabelJoin} score what the server answered for each
 * label's record. Invalid labels are skipped with a counter, not dead-lettered: the teacher-service
 * reads the same topic and dead-letters each of them once.
 */
final class LateLabelProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(LateLabelProcessor.class);

    private final CurrentModel current;
    private final long windowMs;
    private final int maxRecordBytes;
    private final ServingMeters meters;
    private ServedLabelJoin join;
    private int parserClasses;
    private LabelParser parser;

    LateLabelProcessor(final CurrentModel current, final long windowMs, final int maxRecordBytes,
                       final ServingMeters meters) {
        this.current = current;
        this.windowMs = windowMs;
        this.maxRecordBytes = maxRecordBytes;
        this.meters = meters;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        join = new ServedLabelJoin(context, windowMs, meters);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        // before the first checkpoint no range is known: the join checks the label when its record is served
        final ServedStudent model = current.roster().servedStudent();
        final LabelRecord label;
        try {
            label = parserFor(model == null ? Integer.MAX_VALUE : model.numClasses()).parse(record.value(),
                    record.timestamp());
        } catch (InvalidRecordException e) {
            meters.labels(ServingMeters.LABEL_REJECTED).increment();
            LOG.debug("skipping an invalid label ({}): {}", e.reason().tag(), e.getMessage());
            return;
        }
        join.label(label.id(), label.label(), label.ts(), record.timestamp());
    }

    private LabelParser parserFor(final int classes) {
        if (parser == null || classes != parserClasses) {
            parser = new LabelParser(classes, maxRecordBytes);
            parserClasses = classes;
        }
        return parser;
    }
}
