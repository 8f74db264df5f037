package dev.kdstream.student.serving;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.Prediction;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.served.CurrentModel;
import dev.kdstream.model.served.ServedStudent;

/**
 * Answers each feature record with the served student's prediction, stamped with its trainer id and
 * version, and has each shadow student that takes the same input answer it too, on the shadow topic.
 *
 * <p>Before the first checkpoint there is no model: records are neither dropped nor given a made-up
 * answer, but held in a changelogged store keyed by input offset, and a wall-clock punctuator
 * answers them (with their original timestamps) as soon as a model exists. Under exactly_once_v2 the
 * store's changelog, the predictions and the input offsets commit in one transaction, so a crash
 * neither loses nor repeats a held record.
 *
 * <p>With late labels on, what it answered to a record without a label goes to the
 * {@link ServedLabelJoin}, to be scored when the label comes.
 *
 * <p>Invalid records are skipped with a counter, not dead-lettered: the teacher-service reads the
 * same {@code features} topic with the same {@link FeatureParser} and already writes every invalid
 * record to {@code features-dlq}; a second dead letter for the same record would only double-count it.
 */
final class PredictionProcessor implements Processor<byte[], byte[], String, Prediction> {

    /** How often held records are checked for a model to answer them with. */
    static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);
    /** Held records read per store iterator, so a long hold is flushed in bounded memory. */
    private static final int FLUSH_CHUNK = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(PredictionProcessor.class);

    private final String heldStoreName;
    private final CurrentModel current;
    private final int maxRecordBytes;
    private final ServingMeters meters;
    private final String servedSink;
    private final String shadowSink;
    /** {@code labels.window.ms}: 0 when labels do not come late. */
    private final long labelsWindowMs;
    private ProcessorContext<String, Prediction> context;
    private TimestampedKeyValueStore<Long, byte[]> held;
    /** False only once the store was seen empty with a model in hand; true again when a record is held. */
    private boolean mayHoldRecords;
    private ServedStudent parserModel;
    private FeatureParser parser;
    /** Null when labels do not come late. */
    private ServedLabelJoin lateLabels;

    /**
     * @param servedSink     the child the served student's predictions go to
     * @param shadowSink     the child the shadow students' ({@link CurrentModel.Roster#shadows}) go to
     * @param labelsWindowMs above 0, the answers to records without a label are kept for the
     *                       {@link ServedLabelJoin}'s stores to score when their label comes
     */
    PredictionProcessor(final String heldStoreName, final CurrentModel current, final int maxRecordBytes,
                        final ServingMeters meters, final String servedSink, final String shadowSink,
                        final long labelsWindowMs) {
        this.heldStoreName = heldStoreName;
        this.current = current;
        this.maxRecordBytes = maxRecordBytes;
        this.meters = meters;
        this.servedSink = servedSink;
        this.shadowSink = shadowSink;
        this.labelsWindowMs = labelsWindowMs;
    }

    @Override
    public void init(final ProcessorContext<String, Prediction> context) {
        this.context = context;
        this.held = context.getStateStore(heldStoreName);
        if (labelsWindowMs > 0) {
            lateLabels = new ServedLabelJoin(context, labelsWindowMs, meters);
        }
        // a restored store may hold records from before a restart
        this.mayHoldRecords = true;
        context.schedule(FLUSH_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
            final CurrentModel.Roster roster = current.roster();
            if (roster.servedStudent() != null && mayHoldRecords) {
                flush(roster);
            }
        });
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final long offset = context.recordMetadata().orElseThrow().offset();
        // one view per record: a switch of the served student or a new checkpoint lands between records
        final CurrentModel.Roster roster = current.roster();
        if (roster.servedStudent() == null) {
            hold(record, offset);
            return;
        }
        if (mayHoldRecords) {
            flush(roster);
        }
        serve(roster, record.value(), record.timestamp(), offset);
    }

    private void hold(final Record<byte[], byte[]> record, final long offset) {
        final byte[] value = record.value();
        // these fail whatever the model turns out to be: not worth keeping
        if (value == null || value.length > maxRecordBytes) {
            meters.rejected().increment();
            LOG.debug("skipping the record at offset {}: {}", offset, value == null ? "no value"
                    : value.length + " bytes, over the limit of " + maxRecordBytes);
            return;
        }
        held.put(offset, ValueAndTimestamp.make(value, record.timestamp()));
        mayHoldRecords = true;
        meters.held().increment();
    }

    /** Answers every held record, oldest offset first, and empties the store. */
    private void flush(final CurrentModel.Roster roster) {
        while (true) {
            final List<KeyValue<Long, ValueAndTimestamp<byte[]>>> chunk = new ArrayList<>();
            try (KeyValueIterator<Long, ValueAndTimestamp<byte[]>> it = held.all()) {
                while (it.hasNext() && chunk.size() < FLUSH_CHUNK) {
                    chunk.add(it.next());
                }
            }
            for (final KeyValue<Long, ValueAndTimestamp<byte[]>> entry : chunk) {
                serve(roster, entry.value.value(), entry.value.timestamp(), entry.key);
                held.delete(entry.key);
            }
            if (chunk.size() < FLUSH_CHUNK) {
                break;
            }
        }
        mayHoldRecords = false;
    }

    private void serve(final CurrentModel.Roster roster, final byte[] value, final long timestamp, final long offset) {
        final ServedStudent model = roster.servedStudent();
        final FeatureRecord features;
        try {
            features = parserFor(model).parse(value, timestamp);
        } catch (InvalidRecordException e) {
            meters.rejected().increment();
            LOG.debug("skipping the invalid record at offset {} ({}): {}", offset, e.reason().tag(), e.getMessage());
            return;
        }
        final Prediction prediction = predict(roster.served(), model, features);
        context.forward(new Record<>(features.id(), prediction, timestamp), servedSink);
        meters.predicted().increment();
        meters.outcome(roster.served(), ServingMeters.SERVED, features.label(), prediction.predictedClass());
        // clamped: a producer clock ahead of ours must not make a negative duration
        meters.latency().record(Math.max(0, prediction.servedAt() - features.ts()), TimeUnit.MILLISECONDS);
        final List<ServedAnswers.Answer> answers = lateLabels == null || features.label() != null ? null
                : new ArrayList<>(List.of(new ServedAnswers.Answer(roster.served(), ServingMeters.SERVED,
                        prediction.predictedClass())));
        for (final String id : roster.shadows()) {
            final ServedStudent shadow = roster.student(id);
            if (id.equals(roster.served()) || shadow == null) {
                continue;
            }
            if (shadow.inputWidth() != model.inputWidth() || shadow.numClasses() != model.numClasses()) {
                meters.shadowUnfit(id).increment();
                continue;
            }
            final Prediction p = predict(id, shadow, features);
            context.forward(new Record<>(features.id(), p, timestamp), shadowSink);
            meters.outcome(id, ServingMeters.SHADOW, features.label(), p.predictedClass());
            if (answers != null) {
                answers.add(new ServedAnswers.Answer(id, ServingMeters.SHADOW, p.predictedClass()));
            }
        }
        if (answers != null) {
            lateLabels.answered(features.id(), features.ts(), timestamp, new ServedAnswers(answers),
                    model.numClasses());
        }
    }

    private static Prediction predict(final String student, final ServedStudent model, final FeatureRecord features) {
        final double[] probabilities = model.probabilities(features.features());
        return new Prediction(features.id(), features.ts(), Probabilities.argmax(probabilities), probabilities,
                model.version(), model.ensembleVersion(), features.label(), features.split(),
                System.currentTimeMillis(), student);
    }

    /** Validation follows the model being served: its input width and number of classes. */
    private FeatureParser parserFor(final ServedStudent model) {
        if (model != parserModel) {
            parser = new FeatureParser(model.inputWidth(), model.numClasses(), maxRecordBytes);
            parserModel = model;
        }
        return parser;
    }
}
