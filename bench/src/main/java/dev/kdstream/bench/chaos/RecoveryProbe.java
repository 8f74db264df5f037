package dev.kdstream.bench.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import dev.kdstream.bench.chaos.ChaosOptions.Fault;
import dev.kdstream.contracts.kafka.TopicNames;

/**
 * When the stack processes again after a fault: every {@code features} partition's committed offset
 * has moved on (or reached the end of the input) in the group the fault hit; for a restarted trainer,
 * a status line (it prints one a second) counting more records trained than both the checkpoint it
 * resumed from and its first status line, which may show only what it restored; after a broker
 * restart, also a new checkpoint. Measured from the restarted process's start.
 */
final class RecoveryProbe {

    /**
     * Where things stood before a fault.
     *
     * @param checkpointRecords records trained by the newest checkpoint, which a restarted trainer resumes from
     */
    record Snapshot(Map<TopicPartition, Long> teacher, Map<TopicPartition, Long> server, long softTargetsVisible,
                    long checkpointVersion, long checkpointRecords) {

        static final Snapshot NOTHING = new Snapshot(Map.of(), Map.of(), -1, 0, 0);
    }

    private final Admin admin;
    private final TopicNames topics;
    private final CheckpointTap tap;
    private final KdProcess trainer;
    /** Why the last look failed, for the log when a recovery does not come. */
    private volatile String lastError;

    RecoveryProbe(final Admin admin, final TopicNames topics, final CheckpointTap tap, final KdProcess trainer) {
        this.admin = admin;
        this.topics = topics;
        this.tap = tap;
        this.trainer = trainer;
    }

    Snapshot snapshot() {
        final CheckpointTap.Seen newest = tap.newest();
        return new Snapshot(committedOrEmpty(ChaosRun.TEACHER_GROUP), committedOrEmpty(ChaosRun.SERVER_GROUP),
                visibleOrMinus(topics.softTargets()), newest == null ? 0 : newest.version(),
                newest == null ? 0 : newest.recordsTrained());
    }

    /**
     * {@code before}, taken before the kill, brought up to what the killed process still finished:
     * a commit it sent just before dying lands after the kill and is no recovery, and a checkpoint
     * it published then is the one its successor resumes from. The groups are read again only while
     * the broker is up (after a broker fault they cannot be read).
     */
    Snapshot afterKill(final Snapshot before, final boolean brokerDown) {
        final CheckpointTap.Seen newest = tap.newest();
        return new Snapshot(brokerDown ? before.teacher() : committedOrEmpty(ChaosRun.TEACHER_GROUP),
                brokerDown ? before.server() : committedOrEmpty(ChaosRun.SERVER_GROUP),
                brokerDown ? before.softTargetsVisible() : visibleOrMinus(topics.softTargets()),
                before.checkpointVersion(), newest == null ? 0 : newest.recordsTrained());
    }

    /**
     * @param fault null: every part of the stack (the first start)
     * @return seconds from {@code startNanos} to recovery, NaN when it did not come within {@code limit}
     */
    double await(final Fault fault, final Snapshot before, final long startNanos, final Duration limit,
                 final StringBuilder detail) throws InterruptedException {
        final boolean teacher = fault == null || fault == Fault.TEACHER || isBroker(fault);
        final boolean server = fault == null || fault == Fault.SERVER || isBroker(fault);
        final boolean trainer = fault == null || fault == Fault.TRAINER || isBroker(fault);
        final boolean trainerRestarted = fault == Fault.TRAINER;
        final long deadline = startNanos + limit.toNanos();
        double firstSoftTarget = Double.NaN;
        final double[] partsAt = {Double.NaN, Double.NaN, Double.NaN};
        lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                if (teacher && Double.isNaN(firstSoftTarget)
                        && visibleOrMinus(topics.softTargets()) > before.softTargetsVisible()) {
                    firstSoftTarget = (System.nanoTime() - startNanos) / 1e9;
                }
                final Map<TopicPartition, Long> end = inputEnd();
                final double now = (System.nanoTime() - startNanos) / 1e9;
                final boolean[] parts = {!teacher || moved(ChaosRun.TEACHER_GROUP, before.teacher(), end),
                    !server || moved(ChaosRun.SERVER_GROUP, before.server(), end),
                    !trainer || (trainerRestarted ? trainedBeyond(before.checkpointRecords())
                            : newCheckpoint(before.checkpointVersion()))};
                for (int i = 0; i < parts.length; i++) {
                    if (parts[i] && Double.isNaN(partsAt[i])) {
                        partsAt[i] = now;
                    }
                }
                if (parts[0] && parts[1] && parts[2]) {
                    if (!Double.isNaN(firstSoftTarget)) {
                        detail.append(String.format(Locale.ROOT, "first new soft target visible after %.1f s; ",
                                firstSoftTarget));
                    }
                    detail.append(String.format(Locale.ROOT, "teacher %.1f s, server %.1f s, trainer %.1f s",
                            teacher ? partsAt[0] : 0, server ? partsAt[1] : 0, trainer ? partsAt[2] : 0));
                    if (trainerRestarted) {
                        detail.append(String.format(Locale.ROOT, " (training beyond the %,d records of the checkpoint "
                                + "it resumed from)", before.checkpointRecords()));
                    }
                    return (System.nanoTime() - startNanos) / 1e9;
                }
            } catch (Exception e) {
                // the broker is still coming back: ask again
                lastError = e.toString();
            }
            Thread.sleep(200);
        }
        return Double.NaN;
    }

    String lastError() {
        return lastError;
    }

    private static boolean isBroker(final Fault fault) {
        return fault == Fault.BROKER_KILL || fault == Fault.BROKER_TERM;
    }

    /**
     * Whether the trainer's status lines since its last start count more records trained than
     * {@code records} and than the first of them (read late, a checkpoint can make {@code records} low).
     */
    private boolean trainedBeyond(final long records) {
        final List<Long> status = ChaosRun.statusRecords(trainer);
        return !status.isEmpty() && status.get(status.size() - 1) > Math.max(records, status.get(0));
    }

    private boolean newCheckpoint(final long versionBefore) {
        final CheckpointTap.Seen newest = tap.newest();
        return newest != null && newest.version() > versionBefore;
    }

    private boolean moved(final String group, final Map<TopicPartition, Long> before,
                          final Map<TopicPartition, Long> end) throws Exception {
        final Map<TopicPartition, Long> now = ChaosRun.committed(admin, group);
        for (final Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            final Long committed = now.get(e.getKey());
            if (committed == null) {
                return false;
            }
            final long was = before.getOrDefault(e.getKey(), -1L);
            if (committed <= was && committed < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Map<TopicPartition, Long> inputEnd() throws Exception {
        return offsets(topics.features(), IsolationLevel.READ_UNCOMMITTED);
    }

    private Map<TopicPartition, Long> offsets(final String topic, final IsolationLevel isolation) throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < ChaosRun.PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        final ListOffsetsResult result = admin.listOffsets(latest, new ListOffsetsOptions(isolation));
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        for (final TopicPartition tp : latest.keySet()) {
            offsets.put(tp, result.partitionResult(tp).get(5, TimeUnit.SECONDS).offset());
        }
        return offsets;
    }

    /** The sum of the read_committed ends of a topic: grows when a transaction with records commits. */
    private long visibleOrMinus(final String topic) {
        try {
            return offsets(topic, IsolationLevel.READ_COMMITTED).values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private Map<TopicPartition, Long> committedOrEmpty(final String group) {
        try {
            return ChaosRun.committed(admin, group);
        } catch (Exception e) {
            return Map.of();
        }
    }
}
