package dev.kdstream.model.drift;

import java.util.Random;
import java.util.function.Supplier;

/** 0/1 error streams with known change points, and what a detector makes of them. */
final class DriftStreams {

    private DriftStreams() {
    }

    /** Detections over {@code n} values of errors at {@code rate}, seeded. */
    static int falseAlarms(final Supplier<DriftDetector> detector, final double rate, final int n, final long seed) {
        final Random rng = new Random(seed);
        final DriftDetector d = detector.get();
        int alarms = 0;
        for (int i = 0; i < n; i++) {
            if (d.update(rng.nextDouble() < rate ? 1 : 0)) {
                alarms++;
            }
        }
        return alarms;
    }

    /**
     * Values from the change to the first detection after it, for errors at {@code before} then, from
     * value {@code at} on, {@code after}; -1 if none within {@code at} values after it.
     */
    static long delay(final Supplier<DriftDetector> detector, final double before, final double after, final int at,
                      final long seed) {
        final Random rng = new Random(seed);
        final DriftDetector d = detector.get();
        for (int i = 0; i < 2 * at; i++) {
            final boolean changed = d.update(rng.nextDouble() < (i < at ? before : after) ? 1 : 0);
            if (changed && i >= at) {
                return i - at;
            }
        }
        return -1;
    }
}
