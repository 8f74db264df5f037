package dev.kdstream.teacher.training;

import java.util.SplittableRandom;

/**
 * DL4J's inverted dropout mask, drawn from a seeded {@link SplittableRandom} rather than ND4J's
 * RNG, so that a training is bit-reproducible for a given seed (DL4J's CPU dropout is not:
 * deeplearning4j#5083).
 */
final class DropoutMask {

    private DropoutMask() {
    }

    /**
     * Each of the first {@code count} units kept with probability {@code keep} and then scaled by
     * 1/keep (so the expected activation is unchanged), else 0.
     */
    static void fill(final SplittableRandom rng, final double keep, final float[] mask, final int count) {
        final float scale = (float) (1.0 / keep);
        // a unit is kept when an unsigned 32-bit draw is below keep * 2^32: two units per nextLong;
        // branch-free (the sign bit of draw - threshold), since random branches mispredict
        final long threshold = (long) (keep * 4294967296.0);
        for (int i = 0; i < count; i += 2) {
            final long bits = rng.nextLong();
            mask[i] = scale * (float) (((bits >>> 32) - threshold) >>> 63);
            if (i + 1 < count) {
                mask[i + 1] = scale * (float) (((bits & 0xFFFFFFFFL) - threshold) >>> 63);
            }
        }
    }
}
