package dev.kdstream.student.labels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Joins late labels to their records by id, within one partition of {@code soft-targets}, in that
 * partition's order: a record without a label waits (its payload {@code P}: what the trainer needs
 * to score and train it later) until its label comes or its window closes; a label that comes before
 * its record (it overtook the teacher) waits for it likewise. Time is event time: the partition's
 * stream time, the largest timestamp of a record or label read from it so far. An item is due when
 * the stream time passes its own timestamp plus the window.
 *
 * <p>Labels that cannot be used are told apart, for their dead letters: {@link Outcome#DUPLICATE}
 * (its record has one already: joined, or a second label came first), {@link Outcome#EXPIRED} (its
 * record's window had closed), and, told to the {@link Expiry} when the label's own window closes
 * with no record, unknown. Joined and closed ids are remembered for one window more to tell those
 * apart; a record that came with its label inline is not remembered, so a label for it later is
 * unknown.
 *
 * <p>Each state change is made by the item being read, so the join is a function of the partition's
 * sequence alone: reading the partition again from {@link #oldestHeld()} rebuilds it exactly, which
 * is how a restarted trainer recovers it without a store of its own. Not thread-safe.
 *
 * @param <P> what is kept of a record waiting for its label
 */
public final class LabelJoin<P> {

    /** What became of a label read. */
    public enum Outcome {
        /** Its record was waiting: {@link Result#record()} is it. */
        JOINED,
        /** Its record has not come yet: held until it does, or its window closes. */
        EARLY,
        /** Its record was joined to a label already, or another label for it is held. */
        DUPLICATE,
        /** Its record's window closed before it came. */
        EXPIRED
    }

    /** @param record the record joined, for {@link Outcome#JOINED}; else null */
    public record Result<P>(Outcome outcome, P record) {
    }

    /** Told of the items whose window closes, as the stream time passes them. */
    public interface Expiry<P> {
        /** A record's window closed without a label. */
        void unlabelled(P record);

        /** A label's window closed without its record. */
        void unknown(String id, int label, long ts, long offset);
    }

    private enum Kind { WAITING, EARLY, JOINED, CLOSED }

    /**
     * An item held: where it was read, its timestamp, the stream time once it was read, and what is
     * kept of it.
     */
    public record Held<T>(long offset, long ts, long clock, T value) {
    }

    /**
     * Where a replay of the partition starts to rebuild the join: the oldest item held, and the
     * stream time once it was read (a replay starts its clock there, so that every item read again
     * meets the stream time it met the first time).
     */
    public record Position(long from, long clock) {
    }

    private record Due(long at, Kind kind, String id, long offset) {
    }

    private final long window;
    private final Map<String, Held<P>> waiting = new HashMap<>();
    private final Map<String, Held<Integer>> early = new HashMap<>();
    /** Ids joined, by the offset of the first of their two items (what a replay must start at to know it). */
    private final Map<String, Long> joined = new HashMap<>();
    /** Ids whose record's window closed, by its offset. */
    private final Map<String, Long> closed = new HashMap<>();
    /** Every held item's offset: {how many hold it, the stream time once it was read}. The first is where a replay starts. */
    private final TreeMap<Long, long[]> offsets = new TreeMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
    private long streamTime = Long.MIN_VALUE;
    /** Records given up for a newer one with their id, told to the next {@link #advance}. */
    private final List<P> givenUp = new ArrayList<>();

    /** @param windowMs how long, in event time, a record waits for its label and a label for its record */
    public LabelJoin(final long windowMs) {
        if (windowMs < 1) {
            throw new IllegalArgumentException("the label window must be >= 1 ms, got " + windowMs);
        }
        this.window = windowMs;
    }

    /**
     * A record without a label: the label held for it, if one came first (it is then the record's,
     * and the record does not wait); else null, and the record waits.
     */
    public Integer record(final String id, final long offset, final long ts, final P payload) {
        final Held<Integer> label = early.remove(id);
        if (label != null) {
            release(label.offset());
            remember(joined, id, label.offset(), label.clock(), Kind.JOINED, ts);
            return label.value();
        }
        final Held<P> before = waiting.put(id, new Held<>(offset, ts, streamTime, payload));
        if (before != null) {
            // the same id twice: the newer record waits, the older one is given up
            release(before.offset());
            givenUp.add(before.value());
        }
        hold(offset, streamTime);
        due.add(new Due(plusWindow(ts), Kind.WAITING, id, offset));
        return null;
    }

    /**
     * A record that came with its label: a label held for it is a duplicate ({@link Outcome#DUPLICATE}),
     * returned for its dead letter; else null.
     */
    public Held<Integer> labelled(final String id) {
        final Held<Integer> label = early.remove(id);
        if (label != null) {
            release(label.offset());
        }
        return label;
    }

    /** A label for record {@code id}, read at {@code offset}. */
    public Result<P> label(final String id, final int label, final long offset, final long ts) {
        final Held<P> record = waiting.remove(id);
        if (record != null) {
            release(record.offset());
            remember(joined, id, record.offset(), record.clock(), Kind.JOINED, ts);
            return new Result<>(Outcome.JOINED, record.value());
        }
        if (joined.containsKey(id) || early.containsKey(id)) {
            return new Result<>(Outcome.DUPLICATE, null);
        }
        if (closed.containsKey(id)) {
            return new Result<>(Outcome.EXPIRED, null);
        }
        early.put(id, new Held<>(offset, ts, streamTime, label));
        hold(offset, streamTime);
        due.add(new Due(plusWindow(ts), Kind.EARLY, id, offset));
        return new Result<>(Outcome.EARLY, null);
    }

    /**
     * Moves the stream time to {@code ts} if later, and closes the windows it passes (and tells
     * {@code expiry} of records given up for a newer one with their id).
     */
    public void advance(final long ts, final Expiry<P> expiry) {
        streamTime = Math.max(streamTime, ts);
        for (final P record : givenUp) {
            expiry.unlabelled(record);
        }
        givenUp.clear();
        while (!due.isEmpty() && due.peek().at() < streamTime) {
            final Due d = due.poll();
            switch (d.kind()) {
                case WAITING -> {
                    final Held<P> record = waiting.get(d.id());
                    if (record != null && record.offset() == d.offset()) {
                        waiting.remove(d.id());
                        release(record.offset());
                        remember(closed, d.id(), record.offset(), record.clock(), Kind.CLOSED, d.at());
                        expiry.unlabelled(record.value());
                    }
                }
                case EARLY -> {
                    final Held<Integer> label = early.get(d.id());
                    if (label != null && label.offset() == d.offset()) {
                        early.remove(d.id());
                        release(label.offset());
                        expiry.unknown(d.id(), label.value(), label.ts(), label.offset());
                    }
                }
                case JOINED -> forget(joined, d);
                case CLOSED -> forget(closed, d);
            }
        }
    }

    /**
     * The offset of the oldest item the join holds (a record or label waiting, an id remembered), or
     * {@code next} when it holds none: reading the partition again from there rebuilds it.
     */
    public long oldestHeld(final long next) {
        return position(next).from();
    }

    /**
     * Where a replay rebuilds the join from, for a checkpoint at {@code next}: the oldest item held,
     * or {@code next} and the stream time now when none is.
     */
    public Position position(final long next) {
        if (offsets.isEmpty() || offsets.firstKey() >= next) {
            return new Position(next, streamTime);
        }
        return new Position(offsets.firstKey(), offsets.firstEntry().getValue()[1]);
    }

    /** The largest timestamp read so far. */
    public long streamTime() {
        return streamTime;
    }

    /** The offsets below {@code next} of the labels held for their record, ascending. */
    public List<Long> earlyOffsets(final long next) {
        return early.values().stream().map(Held::offset).filter(o -> o < next).sorted().toList();
    }

    /**
     * Drops the label held for {@code id} if it was read at {@code offset}: read again while the join
     * is rebuilt, a label that was not held when the checkpoint was taken was decided then (joined,
     * or dead-lettered) from what the replay no longer holds.
     */
    public void forgetEarly(final String id, final long offset) {
        final Held<Integer> label = early.get(id);
        if (label != null && label.offset() == offset) {
            early.remove(id);
            release(offset);
        }
    }

    /** Records waiting for their label. */
    public int waiting() {
        return waiting.size();
    }

    /** Labels waiting for their record. */
    public int early() {
        return early.size();
    }

    private void remember(final Map<String, Long> memory, final String id, final long offset, final long clock,
                          final Kind kind, final long ts) {
        final Long before = memory.put(id, offset);
        if (before != null) {
            release(before);
        }
        hold(offset, clock);
        due.add(new Due(plusWindow(ts), kind, id, offset));
    }

    /** {@code ts} + the window, saturated: a timestamp near the end of time is not one in the past. */
    private long plusWindow(final long ts) {
        return ts > Long.MAX_VALUE - window ? Long.MAX_VALUE : ts + window;
    }

    private void forget(final Map<String, Long> memory, final Due d) {
        final Long offset = memory.get(d.id());
        if (offset != null && offset == d.offset()) {
            memory.remove(d.id());
            release(offset);
        }
    }

    private void hold(final long offset, final long clock) {
        offsets.merge(offset, new long[] {1, clock}, (a, b) -> new long[] {a[0] + 1, a[1]});
    }

    private void release(final long offset) {
        offsets.computeIfPresent(offset, (o, n) -> n[0] == 1 ? null : new long[] {n[0] - 1, n[1]});
    }
}
