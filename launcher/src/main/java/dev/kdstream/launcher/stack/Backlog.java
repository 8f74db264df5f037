package dev.kdstream.launcher.stack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code features} holds from earlier runs as a kept stack starts, and how much of it the
 * teacher and the server have not taken yet: they take it before this run's records. Exact counts:
 * {@code features} is written without transactions, so its offsets are records.
 *
 * @param features    records in {@code features}
 * @param unannotated records past the teacher's committed position
 * @param unanswered  records past the server's committed position
 */
record Backlog(long features, long unannotated, long unanswered) {

    static final Backlog NONE = new Backlog(0, 0, 0);
    private static final long TIMEOUT_SECONDS = 30;

    /** Measured with an Admin client of {@code adminConfig}. */
    static Backlog measure(final Properties adminConfig, final String featuresTopic, final String teacherGroup,
                           final String serverGroup) throws InterruptedException {
        try (Admin admin = Admin.create(adminConfig)) {
            final List<TopicPartition> partitions = admin.describeTopics(List.of(featuresTopic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(featuresTopic).partitions().stream()
                    .map(p -> new TopicPartition(featuresTopic, p.partition())).toList();
            final Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            final Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            return of(earliest, latest, committed(admin, teacherGroup), committed(admin, serverGroup));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot measure what " + featuresTopic + " holds: " + e.getMessage(), e);
        }
    }

    /** From each partition's earliest and latest offsets and the two groups' committed positions. */
    static Backlog of(final Map<TopicPartition, Long> earliest, final Map<TopicPartition, Long> latest,
                      final Map<TopicPartition, Long> teacher, final Map<TopicPartition, Long> server) {
        long features = 0;
        long unannotated = 0;
        long unanswered = 0;
        for (final Map.Entry<TopicPartition, Long> end : latest.entrySet()) {
            final long start = earliest.getOrDefault(end.getKey(), 0L);
            features += end.getValue() - start;
            // a group with no position on a partition reads it from its start
            unannotated += end.getValue() - Math.max(start, teacher.getOrDefault(end.getKey(), start));
            unanswered += end.getValue() - Math.max(start, server.getOrDefault(end.getKey(), start));
        }
        return new Backlog(features, unannotated, unanswered);
    }

    private static Map<TopicPartition, Long> offsets(final Admin admin, final List<TopicPartition> partitions,
                                                     final OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        final Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(request).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    private static Map<TopicPartition, Long> committed(final Admin admin, final String group)
            throws InterruptedException, ExecutionException, TimeoutException {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach((p, o) -> {
            if (o != null) {
                offsets.put(p, o.offset());
            }
        });
        return offsets;
    }
}
