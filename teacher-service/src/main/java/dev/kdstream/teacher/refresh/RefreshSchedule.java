package dev.kdstream.teacher.refresh;

/**
 * When to refresh after a drift, and how often: first once {@code first} labelled records have come
 * since the detection (a quick, rough teacher beats a stale one), then, each time a candidate was
 * swapped in, again at twice as many (a better one, from all the records since the detection), up to
 * {@link #DOUBLINGS} times; a candidate that was not better ends it. Pure; not thread-safe.
 */
public final class RefreshSchedule {

    /** Refreshes after the first at most: the last learns from 16 times the first's records. */
    public static final int DOUBLINGS = 4;

    private final int first;
    private long target;
    private int doublings;

    /** @param first labelled records after a detection the first refresh learns from ({@code teacher.refresh.records}) */
    public RefreshSchedule(final int first) {
        if (first < Refresh.MIN_RECORDS) {
            throw new IllegalArgumentException("teacher.refresh.records must be >= " + Refresh.MIN_RECORDS + ", got "
                    + first);
        }
        this.first = first;
    }

    /** A drift: the schedule starts over. */
    public void start() {
        target = first;
        doublings = 0;
    }

    /** Whether a refresh is due with {@code collected} records since the detection. */
    public boolean due(final long collected) {
        return target > 0 && collected >= target;
    }

    /** The refresh that was due ran: the next one at twice the records if it was swapped in, else none. */
    public void ran(final boolean swapped) {
        if (swapped && doublings < DOUBLINGS) {
            doublings++;
            target *= 2;
        } else {
            target = 0;
        }
    }

    /** The most records a refresh learns from: the size of the window to keep. */
    public int capacity() {
        return first << DOUBLINGS;
    }
}
