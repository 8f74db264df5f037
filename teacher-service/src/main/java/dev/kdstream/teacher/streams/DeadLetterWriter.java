package dev.kdstream.teacher.streams;

import java.util.EnumSet;
import java.util.Set;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;

import dev.kdstream.contracts.kafka.DeadLetters;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.InvalidRecordException.Reason;

/**
 * How the teacher's processors send an input record they refuse to its dead-letter topic: byte for
 * byte (cut to fit the producer's limit: a record it refused would fail the transaction, again at
 * every restart), with the error headers, counted, and one warning per reason and task.
 */
final class DeadLetterWriter {

    private final TeacherMetrics metrics;
    private final String child;
    private final String what;
    private final Logger log;
    private final Set<Reason> warned = EnumSet.noneOf(Reason.class);

    /**
     * @param child the dead-letter sink
     * @param what  what the input records are, for the log ("record", "label")
     */
    DeadLetterWriter(final TeacherMetrics metrics, final String child, final String what, final Logger log) {
        this.metrics = metrics;
        this.child = child;
        this.what = what;
        this.log = log;
    }

    /** Sends {@code record}, refused for {@code error}, to the dead-letter sink. */
    void send(final ProcessorContext<Object, Object> context, final Record<byte[], byte[]> record,
              final InvalidRecordException error) {
        final RecordMetadata source = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("no source metadata for a record being processed"));
        final DeadLetters.Letter letter = DeadLetters.fit(record.key(), record.value(),
                DeadLetters.headers(record.headers(), error, source.topic(), source.partition(), source.offset(),
                        TeacherTopology.SERVICE), TopicAdmin.DLQ_MAX_BYTES);
        context.forward(new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()), child);
        if (letter.headers().lastHeader(DeadLetters.TRUNCATED) != null) {
            log.warn("invalid {} {}-{}@{} of {} bytes dead-lettered cut to fit the dead-letter topic ({}: {})", what,
                    source.topic(), source.partition(), source.offset(),
                    DeadLetters.header(letter.headers(), DeadLetters.ORIGINAL_BYTES), DeadLetters.TRUNCATED,
                    DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED));
        }
        metrics.deadLetter(error.reason());
        if (warned.add(error.reason())) {
            log.warn("invalid {} {}-{}@{} sent to the dead-letter topic ({}: {}); further {}s with this reason are "
                    + "counted in {} without a log line", what, source.topic(), source.partition(), source.offset(),
                    error.reason().tag(), error.getMessage(), what, MetricNames.DEAD_LETTERS);
        }
    }
}
