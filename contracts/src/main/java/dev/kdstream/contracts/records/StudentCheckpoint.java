package dev.kdstream.contracts.records;

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
 */
public record StudentCheckpoint(String trainerId, long version, long recordsTrained, Map<Integer, Long> offsets,
                                String ensembleVersion, long createdAt, byte[] distilled, byte[] baseline) {

    public StudentCheckpoint {
        offsets = Map.copyOf(offsets);
    }
}
