package dev.kdstream.student.serving;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Scores what the server answered for a record against the label that comes later for it, on
 * {@code labels}: the served student's answer and each shadow's, made by the checkpoints being
 * served when the record came, not by the newer ones the label finds. Delayed prequential evaluation
 * of the served model, as River's {@code progressive_val_score(moment, delay)}; the trainer's own
 * join scores its students' test-time predictions instead, for the drift detectors.
 *
 * <p>A record and its label meet when their event times are within {@code labels.window.ms} of each
 * other, whichever comes first: the answers wait in one window store for their label, and a label
 * that finds none (its record not served yet: held for the first checkpoint, or still on its way)
 * waits in another for its record. Both stores are changelogged, so a server restarted or moved to
 * another replica still scores the answers it gave before. They keep their entries for twice the
 * window: the range checked here, not the stores' segment expiry, decides what meets.
 *
 * <p>One instance per task (a partition of {@code features} and the same partition of {@code labels}),
 * used by its two processors. Not thread-safe.
 */
final class ServedLabelJoin {

    /** The answers to records without a label, by record id and event time. */
    static final String ANSWERS_STORE = "served-answers";
    /** Labels that came before their record was served, by record id and event time. */
    static final String EARLY_LABELS_STORE = "early-labels";

    private final WindowStore<String, ServedAnswers> answers;
    private final WindowStore<String, Integer> early;
    private final long window;
    private final ServingMeters meters;

    ServedLabelJoin(final WindowStore<String, ServedAnswers> answers, final WindowStore<String, Integer> early,
                    final long windowMs, final ServingMeters meters) {
        this.answers = answers;
        this.early = early;
        this.window = windowMs;
        this.meters = meters;
    }

    /** The stores' retention for a window of {@code windowMs}. */
    static long retention(final long windowMs) {
        return windowMs > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * windowMs;
    }

    /**
     * A record answered without a label, at event time {@code ts}: scored now if its label came
     * first, else kept for its label.
     *
     * @param classes the served student's number of classes (a label that came before any model was
     *                checked against none)
     */
    void answered(final String id, final long ts, final ServedAnswers given, final int classes) {
        final Integer label = take(early, id, ts);
        if (label == null) {
            answers.put(id, given, ts);
        } else if (label < classes) {
            score(given, label);
        } else {
            meters.labels(ServingMeters.LABEL_REJECTED).increment();
        }
    }

    /** A valid label for record {@code id}, at event time {@code ts}: scores the answers for it, or waits for them. */
    void label(final String id, final int label, final long ts) {
        final ServedAnswers given = take(answers, id, ts);
        if (given == null) {
            early.put(id, label, ts);
            meters.labels(ServingMeters.LABEL_EARLY).increment();
        } else {
            score(given, label);
            meters.labels(ServingMeters.LABEL_JOINED).increment();
        }
    }

    private void score(final ServedAnswers given, final int label) {
        for (final ServedAnswers.Answer a : given.answers()) {
            meters.lateOutcome(a.student(), a.role(), label, a.predicted());
        }
    }

    /**
     * Removes and returns the newest entry for {@code id} within the window of {@code ts} (ids are
     * unique; if one came again, the older entries go too), or null.
     */
    private <V> V take(final WindowStore<String, V> store, final String id, final long ts) {
        final List<KeyValue<Long, V>> found = new ArrayList<>(1);
        try (WindowStoreIterator<V> it = store.fetch(id, Math.max(0, ts - window),
                ts > Long.MAX_VALUE - window ? Long.MAX_VALUE : ts + window)) {
            it.forEachRemaining(found::add);
        }
        if (found.isEmpty()) {
            return null;
        }
        for (final KeyValue<Long, V> entry : found) {
            store.put(id, null, entry.key);
        }
        return found.get(found.size() - 1).value;
    }
}
