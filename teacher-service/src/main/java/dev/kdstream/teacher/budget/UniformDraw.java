package dev.kdstream.teacher.budget;

import java.nio.charset.StandardCharsets;

/**
 * A uniform number in [0, 1) per record id, the same every time the id is drawn. A record read
 * again after a crash (the teacher's exactly-once replay) gets the decision it got before, and the
 * sampler needs no random state to store.
 */
public final class UniformDraw {

    private UniformDraw() {
    }

    /** FNV-1a over the id's UTF-8 bytes, then SplitMix64's finalizer: sequential ids spread evenly. */
    public static double of(final String id) {
        long h = 0xcbf29ce484222325L;
        for (final byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Whether {@code id}'s draw falls in the first {@code share} of [0, 1): chosen with probability {@code share}. */
    public static boolean below(final String id, final double share) {
        return of(id) < share;
    }
}
