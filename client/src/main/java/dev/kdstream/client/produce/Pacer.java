package dev.kdstream.client.produce;

import java.util.function.LongSupplier;

/**
 * Paces sends to a target rate: a token bucket on {@link System#nanoTime()}. Permit {@code k}
 * falls due {@code k / rate} seconds after the start, so the mean rate stays exact however coarse
 * the caller's sleeps are: at 50k/s a permit is due every 20 us, far below what a sleep can hit,
 * and a caller that wakes late simply takes several permits at once.
 *
 * <p>A caller that falls far behind (a GC pause, a full send buffer) gets at most
 * {@code burstNanos} worth of catch-up, not an unbounded burst. Not thread-safe: one sending thread.
 */
final class Pacer {

    /** Catch-up after a stall: at most this much time's worth of permits at once. */
    static final long DEFAULT_BURST_NANOS = 50_000_000L;

    private final double nanosPerPermit;
    /** Permits a caller may take at once after falling behind; at least one. */
    private final long maxBurst;
    private final LongSupplier clock;
    /** Permit k is due at {@code base + k * nanosPerPermit}. */
    private long base;
    private long issued;

    /**
     * @param ratePerSecond permits per second; 0 = unlimited
     * @param clock         nanoseconds, monotonic
     */
    Pacer(final double ratePerSecond, final long burstNanos, final LongSupplier clock) {
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0 (0 = as fast as possible), got "
                    + ratePerSecond);
        }
        this.nanosPerPermit = ratePerSecond == 0 ? 0 : 1e9 / ratePerSecond;
        this.maxBurst = ratePerSecond == 0 ? Long.MAX_VALUE : Math.max(1, (long) (burstNanos * ratePerSecond / 1e9));
        this.clock = clock;
        this.base = clock.getAsLong();
    }

    /** On the real clock. */
    static Pacer of(final double ratePerSecond) {
        return new Pacer(ratePerSecond, DEFAULT_BURST_NANOS, System::nanoTime);
    }

    /** Starts the schedule afresh: the first permit is due now. */
    void restart() {
        base = clock.getAsLong();
        issued = 0;
    }

    boolean unlimited() {
        return nanosPerPermit == 0;
    }

    /**
     * Takes up to {@code wanted} of the permits due by now, without waiting.
     *
     * @return 0..wanted; always {@code wanted} when the rate is unlimited
     */
    long take(final long wanted) {
        if (unlimited()) {
            return wanted;
        }
        long due = (long) Math.floor((clock.getAsLong() - base) / nanosPerPermit) + 1 - issued;
        if (due > maxBurst) {
            // too far behind: skip the permits missed before the last burst's worth
            issued += due - maxBurst;
            due = maxBurst;
        }
        final long granted = Math.max(0, Math.min(wanted, due));
        issued += granted;
        return granted;
    }

    /** Nanoseconds until the next permit is due; 0 when one is due now (or the rate is unlimited). */
    long nanosUntilDue() {
        return unlimited() ? 0 : Math.max(0, dueAt(issued) - clock.getAsLong());
    }

    private long dueAt(final long k) {
        return base + (long) Math.ceil(k * nanosPerPermit);
    }
}
