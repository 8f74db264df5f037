package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.model.file.ModelFileException;

/** A restart resumes from the newest checkpoint that loads, numbering on after the highest one. */
class TrainerStartTest {

    private static final List<StudentCheckpoint> LINEAGE = List.of(checkpoint(1), checkpoint(2), checkpoint(3));
    private static final TrainerStart FRESH = new TrainerStart(null, null, 0, 0, "e0", Map.of(), Map.of());

    private static StudentCheckpoint checkpoint(final long version) {
        return new StudentCheckpoint("t", version, version * 100, Map.of(0, version * 100), "e1", 0, null, null);
    }

    /** Restores what its version is not in {@code corrupt}, as the checkpoint's own start. */
    private static Function<StudentCheckpoint, TrainerStart> loader(final Set<Long> corrupt) {
        return c -> {
            if (corrupt.contains(c.version())) {
                throw new ModelFileException("v" + c.version() + ": corrupt");
            }
            return new TrainerStart(null, null, c.version(), c.recordsTrained(), c.ensembleVersion(), c.offsets(),
                    c.labelJoin());
        };
    }

    @Test
    void theNewestCheckpointThatLoads() {
        final TrainerStart start = TrainerStart.newestLoadable(LINEAGE, loader(Set.of()), () -> FRESH, "t");
        assertThat(start.recordsTrained()).isEqualTo(300);
        assertThat(start.version()).isEqualTo(3);
    }

    @Test
    void aCorruptNewestFallsBackToTheOneBeforeAndNumbersOnAfterIt() {
        final TrainerStart start = TrainerStart.newestLoadable(LINEAGE, loader(Set.of(3L)), () -> FRESH, "t");
        assertThat(start.recordsTrained()).as("resumed from v2").isEqualTo(200);
        assertThat(start.offsets()).containsEntry(0, 200L);
        assertThat(start.version()).as("the next checkpoint is v4, newer than the corrupt v3").isEqualTo(3);
    }

    @Test
    void noneLoadsStartsFreshAfterTheHighestVersion() {
        final TrainerStart start = TrainerStart.newestLoadable(LINEAGE, loader(Set.of(1L, 2L, 3L)), () -> FRESH, "t");
        assertThat(start.recordsTrained()).isZero();
        assertThat(start.offsets()).isEmpty();
        assertThat(start.version()).isEqualTo(3);
    }
}
