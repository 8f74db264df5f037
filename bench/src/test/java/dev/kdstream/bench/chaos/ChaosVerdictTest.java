package dev.kdstream.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ChaosVerdictTest {

    private static final Set<String> VALID = Set.of("a", "b");
    private static final Set<String> INVALID = Set.of("x");
    private static final List<CheckpointTap.Seen> CHECKPOINTS = List.of(checkpoint(1, 900), checkpoint(2, 1800));
    private static final List<ChaosVerdict.Recovery> FAST = List.of(new ChaosVerdict.Recovery("SIGKILL teacher-1", 4, 10));

    @Test
    void aCleanRunHasNoProblems() {
        assertThat(verdict(Map.of("a", 1, "b", 1), Map.of("x", 1), Map.of("a", 2, "b", 1)).problems()).isEmpty();
    }

    @Test
    void aLostOrDuplicatedSoftTargetIsCaught() {
        assertThat(verdict(Map.of("a", 1), Map.of("x", 1), Map.of("a", 1, "b", 1)).problems())
                .containsExactly("1 valid records without a soft target");
        assertThat(verdict(Map.of("a", 2, "b", 1), Map.of("x", 1), Map.of("a", 1, "b", 1)).problems())
                .containsExactly("1 soft targets duplicated");
        assertThat(verdict(Map.of("a", 1, "b", 1, "x", 1), Map.of("x", 1), Map.of("a", 1, "b", 1)).problems())
                .containsExactly("1 invalid records with a soft target");
    }

    @Test
    void aRecordTheBudgetLeftOutMustHaveNoSoftTargetAndIsNotLost() {
        final ChaosVerdict leftOut = new ChaosVerdict(VALID, INVALID, Set.of("b"), Map.of("a", 1), Map.of("x", 1),
                Map.of("a", 1, "b", 1), CHECKPOINTS, 1000, 0, FAST);
        assertThat(leftOut.problems()).isEmpty();
        final ChaosVerdict annotated = new ChaosVerdict(VALID, INVALID, Set.of("b"), Map.of("a", 1, "b", 1),
                Map.of("x", 1), Map.of("a", 1, "b", 1), CHECKPOINTS, 1000, 0, FAST);
        assertThat(annotated.problems()).containsExactly("1 records the teacher budget left out with a soft target");
    }

    @Test
    void deadLettersAreExactlyOncePerInvalidRecord() {
        assertThat(verdict(Map.of("a", 1, "b", 1), Map.of(), Map.of("a", 1, "b", 1)).problems())
                .containsExactly("1 invalid records without a dead letter");
        assertThat(verdict(Map.of("a", 1, "b", 1), Map.of("x", 2, "a", 1), Map.of("a", 1, "b", 1)).problems())
                .containsExactly("1 dead letters duplicated", "1 valid records sent to the dead-letter topic");
    }

    @Test
    void anUnansweredRecordIsCaught() {
        assertThat(verdict(Map.of("a", 1, "b", 1), Map.of("x", 1), Map.of("a", 1)).problems())
                .containsExactly("1 valid records without a prediction");
    }

    @Test
    void checkpointsMustIncreaseOneVersionAtATimeAndStayWithinAnInterval() {
        final ChaosVerdict repeated = new ChaosVerdict(VALID, INVALID, Set.of(), Map.of("a", 1, "b", 1),
                Map.of("x", 1),
                Map.of("a", 1, "b", 1), List.of(checkpoint(1, 900), checkpoint(2, 1800), checkpoint(2, 1900)), 1000,
                0, FAST);
        assertThat(repeated.problems()).containsExactly("checkpoint versions of s not strictly increasing: v2 then v2");
        final ChaosVerdict skipped = new ChaosVerdict(VALID, INVALID, Set.of(), Map.of("a", 1, "b", 1),
                Map.of("x", 1),
                Map.of("a", 1, "b", 1), List.of(checkpoint(1, 900), checkpoint(3, 5000)), 1000, 0, FAST);
        assertThat(skipped.problems()).hasSize(2).anyMatch(p -> p.contains("skip from v1 to v3"))
                .anyMatch(p -> p.contains("4100 records apart"));
    }

    @Test
    void aSlowOrMissingRecoveryAndAnOpenTransactionAreCaught() {
        final ChaosVerdict v = new ChaosVerdict(VALID, INVALID, Set.of(), Map.of("a", 1, "b", 1),
                Map.of("x", 1),
                Map.of("a", 1, "b", 1), CHECKPOINTS, 1000, 1, List.of(new ChaosVerdict.Recovery("SIGKILL trainer", 12, 10),
                new ChaosVerdict.Recovery("SIGKILL broker", 20, 25), new ChaosVerdict.Recovery("SIGTERM broker",
                        Double.NaN, 10)));
        assertThat(v.problems()).containsExactly("1 soft-targets partitions with a transaction left open",
                "no recovery within 10.0 s after SIGKILL trainer (12.0 s)",
                "no recovery within 10.0 s after SIGTERM broker (never)");
    }

    private static ChaosVerdict verdict(final Map<String, Integer> softTargets, final Map<String, Integer> deadLetters,
                                        final Map<String, Integer> predictions) {
        return new ChaosVerdict(VALID, INVALID, Set.of(), softTargets, deadLetters, predictions, CHECKPOINTS, 1000, 0, FAST);
    }

    private static CheckpointTap.Seen checkpoint(final long version, final long records) {
        return new CheckpointTap.Seen("s", version, records, Map.of(0, records), 0);
    }
}
