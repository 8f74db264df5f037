package dev.kdstream.contracts.records;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A record on the compacted {@code student-checkpoints} topic, keyed by trainer id: both students'
 * weights and Adam state ({@code StudentFile} bytes) and the input position they correspond to.
 * A restarted trainer resumes from here; every server replica hot-swaps to the newest.
 *
 * @param version        increases by one with every checkpoint, across restarts
 * @param recordsTrained soft-target records consumed since the trainer first started
 * @param offsets        next offset to read, per partition of the soft-targets topic ("0" -> 1234)
 * @param distilled      the distilled student, as StudentFile bytes (base64 in JSON)
 * @param baseline       the hard-label baseline, likewise
 * @param labelJoin      per partition of soft-targets, where the trainer's late-label join begins: a
 *                       restarted trainer reads from there (records before {@code offsets} only to
 *                       rebuild the join); empty without late labels and in a checkpoint of an
 *                       earlier kd-stream
 */
public record StudentCheckpoint(String trainerId, long version, long recordsTrained, Map<Integer, Long> offsets,
                                String ensembleVersion, long createdAt, byte[] distilled, byte[] baseline,
                                Map<Integer, JoinPosition> labelJoin) {

    /**
     * @param from       the offset of the oldest record or label the join holds (the next offset when none)
     * @param streamTime the partition's stream time (its largest timestamp) once that item was read:
     *                   where a replay from {@code from} starts its clock
     * @param early      the offsets of the labels held for their record (at most {@link #MAX_EARLY}):
     *                   any other label read again is one decided before the checkpoint
     */
    public record JoinPosition(long from, long streamTime, List<Long> early) {

        /** Labels held for their record beyond these are not listed: read again, they count as held. */
        public static final int MAX_EARLY = 10_000;

        public JoinPosition {
            early = early == null ? null : List.copyOf(early);
        }

        public JoinPosition(final long from, final long streamTime) {
            this(from, streamTime, List.of());
        }

        /**
         * Whether the label read at {@code offset} was, by {@link #early}, not held when the checkpoint
         * was taken. Unknown (false) without a list, and past a full list's last offset.
         */
        public boolean notHeld(final long offset) {
            return early != null && (early.size() < MAX_EARLY || offset <= early.get(early.size() - 1))
                    && Collections.binarySearch(early, offset) < 0;
        }
    }

    public StudentCheckpoint {
        offsets = Map.copyOf(offsets);
        labelJoin = labelJoin == null ? Map.of() : Map.copyOf(labelJoin);
    }

    /** Without late labels. */
    public StudentCheckpoint(final String trainerId, final long version, final long recordsTrained,
                             final Map<Integer, Long> offsets, final String ensembleVersion, final long createdAt,
                             final byte[] distilled, final byte[] baseline) {
        this(trainerId, version, recordsTrained, offsets, ensembleVersion, createdAt, distilled, baseline, null);
    }
}
