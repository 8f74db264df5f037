package dev.kdstream.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Records done over time, sampled while a stream is pushed through as fast as it goes: how fast
 * a stage was over its first records (what a user meets after a start) and how many records it
 * took to come within reach of its settled rate. Samples are taken in time order; the count never
 * goes down.
 */
final class RateCurve {

    /** One sample: {@code done} records through at {@code millis} since the stream's start. */
    record Sample(long millis, long done) {
    }

    /** Called with every sample of a part of the stream: ms since the part began and records it has done. */
    @FunctionalInterface
    interface Sampler {
        void sample(long millis, long done);
    }

    /** Windows in a row a rate must hold to count as reached. */
    static final int HELD = 3;

    private final List<Sample> samples = new ArrayList<>();

    RateCurve() {
        samples.add(new Sample(0, 0));
    }

    void add(final long millis, final long done) {
        final Sample last = samples.get(samples.size() - 1);
        if (millis < last.millis() || done < last.done()) {
            throw new IllegalArgumentException("samples go forward: " + last + " then " + millis + " ms, " + done);
        }
        samples.add(new Sample(millis, done));
    }

    /**
     * Samples of a further part of the stream, appended from where the curve ends: the time between
     * parts (other work, a measurement's drain) is not on the curve.
     */
    Sampler continuing() {
        final Sample from = samples.get(samples.size() - 1);
        return (millis, done) -> add(from.millis() + millis, from.done() + done);
    }

    long done() {
        return samples.get(samples.size() - 1).done();
    }

    /** When the {@code n}-th record was through, in ms since the start, by linear interpolation; empty before. */
    OptionalDouble millisAt(final long n) {
        // the first sample with at least n done: counts never go down, so a binary search finds it
        int lo = 0;
        int hi = samples.size();
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (samples.get(mid).done() >= n) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (lo == samples.size()) {
            return OptionalDouble.empty();
        }
        if (lo == 0) {
            return OptionalDouble.of(samples.get(0).millis());
        }
        final Sample a = samples.get(lo - 1);
        final Sample b = samples.get(lo);
        final double share = (double) (n - a.done()) / (b.done() - a.done());
        return OptionalDouble.of(a.millis() + share * (b.millis() - a.millis()));
    }

    /** Records through by {@code millis} since the start: the last sample's count at or before it. */
    long doneBy(final long millis) {
        long done = 0;
        for (final Sample s : samples) {
            if (s.millis() > millis) {
                break;
            }
            done = s.done();
        }
        return done;
    }

    /**
     * The first count of records done from which the stream ran at {@code rate} records/s or
     * faster over {@code window} records and went on doing so over the next {@code held - 1}
     * windows: how long it took to come within reach of its settled rate. Held, because a stage
     * catching up on records it was holding (the server's, before the first checkpoint) runs one
     * window at a rate nothing sustains. Empty if it never did within the curve.
     */
    OptionalLong recordsToReach(final double rate, final long window, final int held) {
        for (final Sample s : samples) {
            if (s.done() >= window && sustained(s.done(), rate, window, held)) {
                return OptionalLong.of(s.done());
            }
        }
        return OptionalLong.empty();
    }

    private boolean sustained(final long from, final double rate, final long window, final int held) {
        for (int k = 0; k < held; k++) {
            final OptionalDouble end = millisAt(from + k * window);
            if (end.isEmpty()) {
                return false;
            }
            final double millis = end.getAsDouble() - millisAt(from + (k - 1) * window).orElseThrow();
            if (millis > 0 && window * 1000.0 / millis < rate) {
                return false;
            }
        }
        return true;
    }
}
