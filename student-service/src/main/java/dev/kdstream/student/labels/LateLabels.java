package dev.kdstream.student.labels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.kafka.DeadLetters;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.InvalidRecordException.Reason;
import dev.kdstream.contracts.records.StudentCheckpoint.JoinPosition;

/**
 * The trainer's late labels: a {@link LabelJoin} per partition of {@code soft-targets}, the dead
 * letters of the labels it cannot use (written to {@code labels-dlq} with the next checkpoint, in its
 * transaction), and their counts.
 *
 * <p>A restarted trainer reads each partition again from where its join began
 * ({@link JoinPosition#from()}, with the stream time as it was then): the items before the
 * checkpoint's offsets only rebuild the join, and nothing they decide (a join, a dead letter, a count)
 * is acted on again, since the checkpoint already includes it. The trainer asks {@link #read} before
 * each item whether it is past them; until a partition's first item past them, its checkpoints keep
 * the restored offset and position. Event time is the items' own {@code ts}, but never more than
 * {@link #MAX_AHEAD_MS} past the Kafka timestamp they were written with: one record stamped in
 * microseconds would otherwise close every window of its partition for good.
 * Not thread-safe, except the gauges.
 *
 * @param <P> what is kept of a record waiting for its label
 */
public final class LateLabels<P> implements AutoCloseable {

    /** Trains (and scores) a waiting record on the label that joined it. */
    @FunctionalInterface
    public interface Learner<P> {
        void labelled(P record, int label);
    }

    /** What a checkpoint takes: the joins' positions, and the dead letters found since the last one. */
    public record Snapshot(Map<Integer, JoinPosition> positions, List<ProducerRecord<String, byte[]>> deadLetters) {

        public static final Snapshot NONE = new Snapshot(Map.of(), List.of());
    }

    public static final String JOINED = "joined";
    public static final String UNKNOWN_ID = Reason.UNKNOWN_ID.tag();
    public static final String EXPIRED = Reason.EXPIRED.tag();
    public static final String DUPLICATE = Reason.DUPLICATE.tag();

    /**
     * How far an item's {@code ts} may run ahead of its Kafka timestamp, as event time: an event is
     * written after it happened, give or take the clocks' skew.
     */
    public static final long MAX_AHEAD_MS = 5_000;

    /** An item's event time: its {@code ts}, but no more than {@link #MAX_AHEAD_MS} past its Kafka timestamp. */
    public static long eventTime(final long ts, final long kafkaTimestamp) {
        return kafkaTimestamp > Long.MAX_VALUE - MAX_AHEAD_MS ? ts : Math.min(ts, kafkaTimestamp + MAX_AHEAD_MS);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LateLabels.class);
    private static final String SERVICE = "trainer";

    private final long window;
    private final String trainerId;
    private final String sourceTopic;
    private final String deadLetterTopic;
    /**
     * Per partition still being read again, the checkpoint's next offset: the items before it only
     * rebuild the join. Removed at the partition's first item past it.
     */
    private final Map<Integer, Long> liveFrom;
    /** Per partition still being read again, the checkpoint's position, which its checkpoints keep meanwhile. */
    private final Map<Integer, JoinPosition> restored;
    private final Map<Integer, LabelJoin<P>> joins = new HashMap<>();
    private final Set<Reason> warned = new HashSet<>();
    private final List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
    private final Map<String, Counter> outcomes = new HashMap<>();
    private final List<Meter> meters = new ArrayList<>();
    private final MeterRegistry registry;
    private final Counter unlabelled;
    private volatile int waiting;
    private volatile int early;
    /** Whether the item being read is past the checkpoint's offsets. */
    private boolean live = true;
    private int partition;

    /**
     * @param windowMs  how long, in event time, a record waits for its label ({@code labels.window.ms})
     * @param offsets   the checkpoint's next offset per partition (empty when fresh)
     * @param positions the checkpoint's join positions (empty when fresh)
     */
    public LateLabels(final long windowMs, final String trainerId, final String sourceTopic,
                      final String deadLetterTopic, final Map<Integer, Long> offsets,
                      final Map<Integer, JoinPosition> positions, final MeterRegistry registry) {
        this.window = windowMs;
        this.trainerId = trainerId;
        this.sourceTopic = sourceTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.liveFrom = new HashMap<>(offsets);
        this.restored = new HashMap<>(positions);
        // each replay starts at the stream time its first item met
        live = false;
        positions.forEach((p, j) -> join(p).advance(j.streamTime(), expiry));
        live = true;
        this.registry = registry;
        for (final String outcome : List.of(JOINED, UNKNOWN_ID, EXPIRED, DUPLICATE)) {
            outcomes.put(outcome, keep(Counter.builder(MetricNames.TRAINER_LABELS)
                    .description("late labels by what became of them: joined to their record, or dead-lettered")
                    .tags(MetricNames.OUTCOME, outcome)
                    .register(registry)));
        }
        unlabelled = keep(Counter.builder(MetricNames.TRAINER_UNLABELLED)
                .description("records whose label window closed without a label")
                .register(registry));
        keep(Gauge.builder(MetricNames.TRAINER_LABELS_WAITING, this, l -> l.waiting)
                .description("records waiting for a late label, and labels waiting for their record")
                .tag(MetricNames.STAGE, "records").register(registry));
        keep(Gauge.builder(MetricNames.TRAINER_LABELS_WAITING, this, l -> l.early)
                .description("records waiting for a late label, and labels waiting for their record")
                .tag(MetricNames.STAGE, "labels").register(registry));
    }

    /**
     * Before each item of {@code partition}, in its order: moves that partition's stream time and
     * closes the windows it passes.
     *
     * @return whether the item is past the checkpoint's offsets (else it only rebuilds the join)
     */
    public boolean read(final int partition, final long offset, final long ts, final long kafkaTimestamp) {
        this.partition = partition;
        final LabelJoin<P> join = join(partition);
        final Long from = liveFrom.get(partition);
        if (from != null) {
            final JoinPosition position = restored.get(partition);
            if (offset < (position != null ? position.from() : from)) {
                // before where this trainer asked to read: the topic was re-created and the consumer reset
                LOG.warn("trainer {}: {}-{} at offset {}, before its checkpoint's {}: the topic was re-created; "
                        + "reading it from here as new", trainerId, sourceTopic, partition, offset, from);
                liveFrom.remove(partition);
                restored.remove(partition);
            } else if (offset >= from) {
                liveFrom.remove(partition);
                restored.remove(partition);
            }
        }
        live = !liveFrom.containsKey(partition);
        join.advance(eventTime(ts, kafkaTimestamp), expiry);
        return live;
    }

    /**
     * The offsets a checkpoint records: the consumer's, except for a partition still read again,
     * whose checkpoint offset stands until the partition is past it.
     */
    public Map<Integer, Long> checkpointOffsets(final Map<Integer, Long> consumed) {
        final Map<Integer, Long> offsets = new LinkedHashMap<>(consumed);
        liveFrom.forEach((p, o) -> offsets.merge(p, o, Math::max));
        return offsets;
    }

    /** A record without a label, read after {@link #read}: the label that came before it, or null (it waits). */
    public Integer record(final String id, final long offset, final long ts, final P payload) {
        final LabelJoin<P> join = join(partition);
        final Integer label = join.record(id, offset, ts, payload);
        if (label != null && live) {
            outcomes.get(JOINED).increment();
        }
        // a record already past its window closes now, not at the next item (which a checkpoint may precede)
        join.advance(join.streamTime(), expiry);
        return label;
    }

    /** A record that came with its label: a label held for it is a duplicate. */
    public void labelledRecord(final String id) {
        final LabelJoin.Held<Integer> held = join(partition).labelled(id);
        if (held != null) {
            deadLetter(Reason.DUPLICATE, id, held.value(), held.ts(), held.offset(),
                    "its record came with a label of its own");
        }
    }

    /** A label, read after {@link #read}: joined to its waiting record (and {@code learner} trains on it), held, or dead-lettered. */
    public void label(final String id, final int label, final long offset, final long ts, final Learner<P> learner) {
        final LabelJoin<P> join = join(partition);
        final LabelJoin.Result<P> r = join.label(id, label, offset, ts);
        final JoinPosition position = restored.get(partition);
        if (!live && r.outcome() == LabelJoin.Outcome.EARLY && position != null && position.notHeld(offset)) {
            // decided when the checkpoint was taken, from items before this replay
            join.forgetEarly(id, offset);
        }
        join.advance(join.streamTime(), expiry);
        switch (r.outcome()) {
            case JOINED -> {
                if (live) {
                    outcomes.get(JOINED).increment();
                    learner.labelled(r.record(), label);
                }
            }
            case EARLY -> {
                // held for its record
            }
            case DUPLICATE -> deadLetter(Reason.DUPLICATE, id, label, ts, offset, "a label for this record came before");
            case EXPIRED -> deadLetter(Reason.EXPIRED, id, label, ts, offset, "its record's label window ("
                    + window + " ms, labels.window.ms) had closed");
        }
    }

    /** For a checkpoint at {@code next} (the next offset per partition). */
    public Snapshot snapshot(final Map<Integer, Long> next) {
        final Map<Integer, JoinPosition> positions = new HashMap<>(restored);
        next.forEach((p, offset) -> {
            final LabelJoin<P> join = joins.get(p);
            if (join != null && !restored.containsKey(p)) {
                final LabelJoin.Position at = join.position(offset);
                final List<Long> early = join.earlyOffsets(offset);
                // beyond the cap, the rest is not listed: read again, they are held (and may then be
                // dead-lettered as unknown_id rather than as the duplicates or late labels they were)
                positions.put(p, new JoinPosition(at.from(), at.clock(),
                        early.size() > JoinPosition.MAX_EARLY ? early.subList(0, JoinPosition.MAX_EARLY) : early));
            }
        });
        return new Snapshot(positions, List.copyOf(deadLetters));
    }

    /** The first {@code n} dead letters were published. */
    public void published(final int n) {
        deadLetters.subList(0, n).clear();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }

    private final LabelJoin.Expiry<P> expiry = new LabelJoin.Expiry<>() {
        @Override
        public void unlabelled(final P record) {
            if (live) {
                unlabelled.increment();
            }
        }

        @Override
        public void unknown(final String id, final int label, final long ts, final long offset) {
            deadLetter(Reason.UNKNOWN_ID, id, label, ts, offset, "no record with this id came within the label window ("
                    + window + " ms, labels.window.ms)");
        }
    };

    private LabelJoin<P> join(final int p) {
        return joins.computeIfAbsent(p, k -> new LabelJoin<>(window));
    }

    private void deadLetter(final Reason reason, final String id, final int label, final long ts, final long offset,
                            final String why) {
        if (!live) {
            return;
        }
        outcomes.get(reason.tag()).increment();
        final InvalidRecordException e = new InvalidRecordException(reason, "label " + label + " for record " + id
                + ": " + why);
        final byte[] value = ("{\"id\":" + quoted(id) + ",\"label\":" + label + ",\"ts\":" + ts + "}")
                .getBytes(StandardCharsets.UTF_8);
        final ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetterTopic, null, (Long) null, id, value,
                DeadLetters.headers(null, e, sourceTopic, partition, offset, SERVICE));
        deadLetters.add(letter);
        if (warned.add(reason)) {
            LOG.warn("trainer {}: {} (dead-lettered to {} as {}; further ones are counted in {} without a log line)",
                    trainerId, e.getMessage(), deadLetterTopic, reason.tag(), MetricNames.TRAINER_LABELS);
        }
    }

    /** Updates the waiting gauges: once per poll, not per item (they sum over the partitions). */
    public void pollDone() {
        int w = 0;
        int e = 0;
        for (final LabelJoin<P> j : joins.values()) {
            w += j.waiting();
            e += j.early();
        }
        waiting = w;
        early = e;
    }

    private static String quoted(final String s) {
        try {
            return dev.kdstream.contracts.json.Json.MAPPER.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <M extends Meter> M keep(final M meter) {
        meters.add(meter);
        return meter;
    }
}
