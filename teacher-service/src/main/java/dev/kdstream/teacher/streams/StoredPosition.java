package dev.kdstream.teacher.streams;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What a task finds in the position store when it starts: the annotator's position, if it still
 * refers to the input topic this teacher reads. Offsets are per topic <em>incarnation</em>: a
 * {@code features} deleted and re-created under the same name starts again at offset 0 (with the
 * group's committed offsets deleted with the old one), while the position's changelog keeps the
 * old topic's position. Beside the position the store keeps the id of the topic it refers to
 * (Kafka's topic id, new with each incarnation); a position of another topic is not a position.
 *
 * @param position        the position to start from, -1 for none (none stored, or the topic's)
 * @param inputRecreated  whether a position was stored for another incarnation of the input
 *                        topic, and so ignored
 * @param topicIdStored   whether the store names the current input topic already; a position
 *                        stored before topic ids were kept names none, and is trusted
 */
record StoredPosition(long position, boolean inputRecreated, boolean topicIdStored) {

    /** The store's keys for the two halves of the input topic's id. */
    static final String TOPIC_ID_HIGH = "input-topic-id-high";
    static final String TOPIC_ID_LOW = "input-topic-id-low";

    /** The position in {@code store}, checked against the id of the topic the task reads. */
    static StoredPosition read(final KeyValueStore<String, Long> store, final Uuid inputTopicId) {
        final Long position = store.get(SoftTargetAnnotator.POSITION);
        final Long high = store.get(TOPIC_ID_HIGH);
        final Long low = store.get(TOPIC_ID_LOW);
        final boolean named = high != null && low != null;
        final boolean current = named && high == inputTopicId.getMostSignificantBits()
                && low == inputTopicId.getLeastSignificantBits();
        if (position == null) {
            return new StoredPosition(-1, false, current);
        }
        if (named && !current) {
            return new StoredPosition(-1, true, false);
        }
        return new StoredPosition(position, false, current);
    }

    /** Records that the store's position refers to {@code inputTopicId}. */
    static void writeTopicId(final KeyValueStore<String, Long> store, final Uuid inputTopicId) {
        store.put(TOPIC_ID_HIGH, inputTopicId.getMostSignificantBits());
        store.put(TOPIC_ID_LOW, inputTopicId.getLeastSignificantBits());
    }

    /** The id {@code store} names, null for none: for tests and log lines. */
    static Uuid topicId(final KeyValueStore<String, Long> store) {
        final Long high = store.get(TOPIC_ID_HIGH);
        final Long low = store.get(TOPIC_ID_LOW);
        return high == null || low == null ? null : new Uuid(high, low);
    }
}
