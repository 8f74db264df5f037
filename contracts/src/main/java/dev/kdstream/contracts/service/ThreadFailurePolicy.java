package dev.kdstream.contracts.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

import dev.kdstream.contracts.kafka.KafkaAccess;

/**
 * What a Kafka Streams client does when one of its stream threads fails.
 *
 * <p>An error the broker returned ({@link ApiException}: a transaction the coordinator aborted or
 * fenced under it, a timeout across a broker restart) is the environment's, not the record's: the
 * thread is replaced, and its successor's producer fences the failed one's transaction (which the
 * coordinator aborts) and resumes from the last committed offsets, so exactly-once holds. Anything
 * else (a bug in a topology; invalid input is dead-lettered before it can get here) stops the client,
 * because a replaced thread would fail on the same record again. So does a refused login or a
 * missing ACL ({@link KafkaAccess}), which no new thread gets past, and a broker error that comes
 * back more than {@link #MAX_REPLACEMENTS} times within {@link #WINDOW}: then health goes DOWN and
 * a supervisor (compose, an operator) sees it.
 */
final class ThreadFailurePolicy {

    static final int MAX_REPLACEMENTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final Deque<Long> replacedAtNanos = new ArrayDeque<>();

    /** @param nowNanos {@link System#nanoTime()} at the failure */
    synchronized StreamThreadExceptionResponse respond(final Throwable failure, final long nowNanos) {
        // a refused login or a missing ACL comes back on every thread the same way
        if (!fromBroker(failure) || KafkaAccess.refused(failure)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        while (!replacedAtNanos.isEmpty() && nowNanos - replacedAtNanos.peekFirst() > WINDOW.toNanos()) {
            replacedAtNanos.removeFirst();
        }
        if (replacedAtNanos.size() >= MAX_REPLACEMENTS) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacedAtNanos.addLast(nowNanos);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Kafka Streams wraps what failed (StreamsException, TaskCorruptedException, ...): look at the causes. */
    static boolean fromBroker(final Throwable failure) {
        final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ApiException) {
                return true;
            }
        }
        return false;
    }
}
