package dev.kdstream.bench.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the chaos run's verifier concludes from what a read_committed reader saw: the checks of
 * Kafka's EosTestDriver, applied to kd-stream's topics. Pure, so that each check is tested to fail.
 *
 * @param valid            ids of the valid records the broker acknowledged
 * @param invalid          ids of the invalid ones
 * @param leftOut          of the valid ones, those a teacher budget leaves out (unlabelled training
 *                         records its uniform draw did not choose): no soft target for them
 * @param softTargets      soft targets per id
 * @param deadLetters      dead letters per id
 * @param predictions      predictions per id
 * @param checkpoints      every checkpoint seen, in topic order
 * @param checkpointEvery  checkpoint.every.records: the most records a restarted trainer may read again
 * @param openTransactions soft-targets partitions whose read_committed end is behind the log end after the stop
 * @param recoveries       seconds from each restart to the stack processing again, and the most each may take
 */
record ChaosVerdict(Set<String> valid, Set<String> invalid, Set<String> leftOut, Map<String, Integer> softTargets,
                    Map<String, Integer> deadLetters, Map<String, Integer> predictions,
                    List<CheckpointTap.Seen> checkpoints, long checkpointEvery, int openTransactions,
                    List<Recovery> recoveries) {

    /** One fault, how long the stack took to recover from it, and the most it may take (seconds). */
    record Recovery(String fault, double seconds, double bound) {
    }

    long lostSoftTargets() {
        return valid.stream().filter(id -> !leftOut.contains(id) && softTargets.getOrDefault(id, 0) == 0).count();
    }

    long softTargetsForLeftOut() {
        return leftOut.stream().filter(softTargets::containsKey).count();
    }

    long duplicatedSoftTargets() {
        return extra(softTargets);
    }

    long softTargetsForInvalid() {
        return invalid.stream().filter(softTargets::containsKey).count();
    }

    long lostDeadLetters() {
        return invalid.stream().filter(id -> deadLetters.getOrDefault(id, 0) == 0).count();
    }

    long duplicatedDeadLetters() {
        return extra(deadLetters);
    }

    long deadLettersForValid() {
        return valid.stream().filter(deadLetters::containsKey).count();
    }

    long unpredicted() {
        return valid.stream().filter(id -> predictions.getOrDefault(id, 0) == 0).count();
    }

    /** Predictions beyond the first per id: allowed at least once, reported. */
    long repeatedPredictions() {
        return extra(predictions);
    }

    /** The largest gap in records between two checkpoints of a trainer: what a kill can make it read again. */
    long largestCheckpointGap() {
        final Map<String, CheckpointTap.Seen> last = new HashMap<>();
        long gap = 0;
        for (final CheckpointTap.Seen c : checkpoints) {
            final CheckpointTap.Seen before = last.put(c.trainerId(), c);
            if (before != null) {
                gap = Math.max(gap, c.recordsTrained() - before.recordsTrained());
            }
        }
        return gap;
    }

    /** Every failed check, one line each; empty when the run is clean. */
    List<String> problems() {
        final List<String> p = new ArrayList<>();
        check(p, lostSoftTargets(), "valid records without a soft target");
        check(p, duplicatedSoftTargets(), "soft targets duplicated");
        check(p, softTargetsForInvalid(), "invalid records with a soft target");
        check(p, softTargetsForLeftOut(), "records the teacher budget left out with a soft target");
        check(p, lostDeadLetters(), "invalid records without a dead letter");
        check(p, duplicatedDeadLetters(), "dead letters duplicated");
        check(p, deadLettersForValid(), "valid records sent to the dead-letter topic");
        check(p, unpredicted(), "valid records without a prediction");
        check(p, openTransactions, "soft-targets partitions with a transaction left open");
        final Map<String, CheckpointTap.Seen> last = new HashMap<>();
        for (final CheckpointTap.Seen c : checkpoints) {
            final CheckpointTap.Seen before = last.put(c.trainerId(), c);
            if (before != null && c.version() <= before.version()) {
                p.add("checkpoint versions of " + c.trainerId() + " not strictly increasing: v" + before.version()
                        + " then v" + c.version());
            }
            if (before != null && c.version() > before.version() + 1) {
                p.add("checkpoint versions of " + c.trainerId() + " skip from v" + before.version() + " to v"
                        + c.version() + ": a restart did not resume from the newest checkpoint");
            }
            if (before != null && c.recordsTrained() < before.recordsTrained()) {
                p.add("checkpoint v" + c.version() + " of " + c.trainerId() + " has fewer records trained ("
                        + c.recordsTrained() + ") than v" + before.version() + " (" + before.recordsTrained() + ")");
            }
        }
        if (checkpoints.isEmpty()) {
            p.add("no checkpoint was published");
        }
        // a trainer checks its schedule after each poll: a poll's worth of records over the interval
        final long slack = 1000;
        if (largestCheckpointGap() > checkpointEvery + slack) {
            p.add("checkpoints " + largestCheckpointGap() + " records apart, more than one interval ("
                    + checkpointEvery + "): a kill there reads that many again");
        }
        for (final Recovery r : recoveries) {
            if (!(r.seconds() <= r.bound())) {
                p.add("no recovery within " + r.bound() + " s after " + r.fault() + " ("
                        + (Double.isNaN(r.seconds()) ? "never" : r.seconds() + " s") + ")");
            }
        }
        return p;
    }

    private static void check(final List<String> problems, final long count, final String what) {
        if (count > 0) {
            problems.add(count + " " + what);
        }
    }

    private static long extra(final Map<String, Integer> counts) {
        return sum(counts.values()) - counts.size();
    }

    private static long sum(final Collection<Integer> values) {
        long s = 0;
        for (final int v : values) {
            s += v;
        }
        return s;
    }
}
