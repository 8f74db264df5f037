package dev.kdstream.student.serving;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import dev.kdstream.student.labels.LateLabels;

/**
 * Scores what the server answered for a record against the label that comes later for it, on
 * {@code labels}: the served student's answer and each shadow's, made by the checkpoints being
 * served when the record came, not by the newer ones the label finds. Delayed prequential evaluation
 * of the served model, as River's {@code progressive_val_score(moment, delay)}; the trainer's own
 * join scores its students' test-time predictions instead, for the drift detectors.
 *
 * <p>A record and its label meet when their event times are within {@code labels.window.ms} of each
 * other, whichever comes first: the answers wait in one window store for their label, and a label
 * that finds none (its record not answered yet: held for the first checkpoint, or still on its way)
 * waits in another for its record. Both stores are changelogged, so a server restarted or moved to
 * another replica still scores the answers it gave before. They keep their entries for twice the
 * window behind the newest one put: the range checked here, not the stores' segment expiry, decides
 * what meets, and what is older than that is not kept (counted: a label {@code expired}, an answer
 * {@code answer_expired}).
 *
 * <p>Event time is an item's {@code ts}, but no more than {@link LateLabels#MAX_AHEAD_MS} past its
 * Kafka timestamp or the clock: a window store drops everything older than its newest entry less
 * its retention, so one item stamped in the future would otherwise empty it.
 *
 * <p>Each task has two, one per processor, on the same two stores. Not thread-safe.
 */
final class ServedLabelJoin {

    /** The answers to records without a label, by record id and event time. */
    static final String ANSWERS_STORE = "served-answers";
    /** Labels that came before their record was answered, by record id and event time. */
    static final String EARLY_LABELS_STORE = "early-labels";

    private final ProcessorContext<?, ?> context;
    private final WindowStore<String, ServedAnswers> answers;
    private final WindowStore<String, Integer> early;
    private final long window;
    private final ServingMeters meters;

    /** Opens the stores of {@code context}'s task. */
    ServedLabelJoin(final ProcessorContext<?, ?> context, final long windowMs, final ServingMeters meters) {
        this.context = context;
        this.answers = context.getStateStore(ANSWERS_STORE);
        this.early = context.getStateStore(EARLY_LABELS_STORE);
        this.window = windowMs;
        this.meters = meters;
    }

    /** The stores' retention for a window of {@code windowMs}. */
    static long retention(final long windowMs) {
        return windowMs > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * windowMs;
    }

    /**
     * A record answered without a label: scored now if its label came first, else kept for its label.
     *
     * @param ts             the record's {@code ts}
     * @param kafkaTimestamp the timestamp it was written with
     * @param classes        the served student's number of classes (a label that came before any
     *                       model was checked against none)
     */
    void answered(final String id, final long ts, final long kafkaTimestamp, final ServedAnswers given,
                  final int classes) {
        final long at = eventTime(ts, kafkaTimestamp);
        final Integer label = take(early, id, at);
        if (label == null) {
            if (!kept(answers, id, given, at)) {
                meters.answersExpired().increment();
            }
        } else if (label < classes) {
            score(given, label);
            meters.labels(ServingMeters.LABEL_EARLY_JOINED).increment();
        } else {
            meters.labels(ServingMeters.LABEL_EARLY_REJECTED).increment();
        }
    }

    /** A valid label for record {@code id}: scores the answers given to it, or waits for them. */
    void label(final String id, final int label, final long ts, final long kafkaTimestamp) {
        final long at = eventTime(ts, kafkaTimestamp);
        final ServedAnswers given = take(answers, id, at);
        if (given != null) {
            score(given, label);
            meters.labels(ServingMeters.LABEL_JOINED).increment();
        } else if (kept(early, id, label, at)) {
            meters.labels(ServingMeters.LABEL_EARLY).increment();
        } else {
            meters.labels(ServingMeters.LABEL_EXPIRED).increment();
        }
    }

    private long eventTime(final long ts, final long kafkaTimestamp) {
        return LateLabels.eventTime(ts, Math.min(kafkaTimestamp, context.currentSystemTimeMs()));
    }

    /**
     * Puts the entry, and reads it back: a window store drops, without a word, what is older than its
     * newest entry less the retention (counted from its changelog after a restore), and only it knows
     * that time.
     */
    private static <V> boolean kept(final WindowStore<String, V> store, final String id, final V value,
                                    final long at) {
        store.put(id, value, at);
        return store.fetch(id, at) != null;
    }

    private void score(final ServedAnswers given, final int label) {
        for (final ServedAnswers.Answer a : given.answers()) {
            meters.lateOutcome(a.student(), a.role(), label, a.predicted());
        }
    }

    /**
     * Removes and returns the newest entry for {@code id} within the window of {@code at} (ids are
     * unique; if one came again, the older entries go too), or null.
     */
    private <V> V take(final WindowStore<String, V> store, final String id, final long at) {
        V newestFound = null;
        try (WindowStoreIterator<V> it = store.fetch(id, Math.max(0, at - window),
                at > Long.MAX_VALUE - window ? Long.MAX_VALUE : at + window)) {
            // in time order: the last one is the newest; RocksDB's iterator reads a snapshot, so deleting is safe
            while (it.hasNext()) {
                final KeyValue<Long, V> entry = it.next();
                store.put(id, null, entry.key);
                newestFound = entry.value;
            }
        }
        return newestFound;
    }
}
