package dev.kdstream.teacher.streams;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.InvalidRecordException;

/**
 * First step of the teacher: parses the raw bytes of a {@code features} record. A valid record
 * goes on to the annotator as {@code (id, FeatureRecord)}; an invalid one goes to the dead-letter
 * sink byte for byte (original key, value and headers) with the error headers added, then to the
 * annotator as {@code (null, null)}, only its offset, and the app keeps going.
 *
 * <p>Records before the annotator's position as restored when the task started are skipped
 * unread: they were annotated or dead-lettered before. They come again only when Kafka Streams
 * reads from the earliest offset after the group's committed offsets expired (or were reset)
 * while the position's changelog kept it. A position stored for an earlier incarnation of the
 * input topic (deleted and re-created since) is none: nothing is skipped ({@link StoredPosition}).
 *
 * <p>The two children take different types, so the output types are {@code Object}: the sinks
 * carry their own serializers and each child is named explicitly on forward.
 */
final class FeatureValidator implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureValidator.class);

    private final FeatureParser parser;
    private final TeacherMetrics metrics;
    private final String validChild;
    private final String positionStoreName;
    private final Uuid inputTopicId;
    /**
     * The annotator's position when this task started, until a record at or past it arrives; -1
     * then (offsets only grow within a task), and for none.
     */
    private long handledBefore;
    private final DeadLetterWriter deadLetters;
    /** Whether this task has said it skips records before the position. */
    private boolean skipping;
    private ProcessorContext<Object, Object> context;

    FeatureValidator(final FeatureParser parser, final TeacherMetrics metrics, final String validChild,
                     final String deadLetterChild, final String positionStoreName, final Uuid inputTopicId) {
        this.parser = parser;
        this.metrics = metrics;
        this.validChild = validChild;
        this.deadLetters = new DeadLetterWriter(metrics, deadLetterChild, "record", LOG);
        this.positionStoreName = positionStoreName;
        this.inputTopicId = inputTopicId;
    }

    @Override
    public void init(final ProcessorContext<Object, Object> context) {
        this.context = context;
        final KeyValueStore<String, Long> store = context.getStateStore(positionStoreName);
        // a position of a deleted topic says nothing about its re-created namesake (the annotator says so)
        handledBefore = StoredPosition.read(store, inputTopicId).position();
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        if (handledBefore >= 0) {
            final RecordMetadata source = source();
            if (source.offset() < handledBefore) {
                if (!skipping) {
                    skipping = true;
                    LOG.info("{}-{}: skipping records before offset {}, annotated or dead-lettered before (the "
                            + "group's committed offsets were lost or reset)", source.topic(), source.partition(),
                            handledBefore);
                }
                return;
            }
            // past the position: no later record of this task can be before it
            handledBefore = -1;
        }
        metrics.received();
        final FeatureRecord feature;
        try {
            feature = parser.parse(record.value(), record.timestamp());
        } catch (InvalidRecordException e) {
            deadLetter(record, e);
            return;
        }
        context.forward(record.withKey(feature.id()).withValue(feature), validChild);
    }

    private RecordMetadata source() {
        return context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("no source metadata for a record being processed"));
    }

    private void deadLetter(final Record<byte[], byte[]> record, final InvalidRecordException error) {
        deadLetters.send(context, record, error);
        // the annotator's position moves past dead letters too (see SoftTargetAnnotator)
        context.forward(record.withKey(null).withValue(null), validChild);
    }
}
