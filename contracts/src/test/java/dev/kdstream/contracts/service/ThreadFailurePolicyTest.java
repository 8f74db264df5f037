package dev.kdstream.contracts.service;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class ThreadFailurePolicyTest {

    private static final long MINUTE = 60_000_000_000L;

    private static StreamsException commitFailed() {
        // how Kafka Streams reports a transaction commit the coordinator refused
        return new StreamsException("Error encountered trying to commit a transaction",
                new KafkaException(new InvalidTxnStateException("The producer attempted a transactional operation "
                        + "in an invalid state.")));
    }

    @Test
    void aBrokerErrorReplacesTheThread() {
        assertThat(new ThreadFailurePolicy().respond(commitFailed(), 0)).isEqualTo(REPLACE_THREAD);
        assertThat(new ThreadFailurePolicy().respond(new StreamsException(new TimeoutException("t")), 0))
                .isEqualTo(REPLACE_THREAD);
    }

    @Test
    void aBugStopsTheClient() {
        assertThat(new ThreadFailurePolicy().respond(new StreamsException("Exception caught in process",
                new IllegalStateException("a bug in the topology")), 0)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(new ThreadFailurePolicy().respond(new KafkaException("not from the broker"), 0))
                .isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void aRefusedLoginOrAclStopsTheClientAtOnce() {
        // no new thread gets past either: replacing it would only repeat the refusal
        assertThat(new ThreadFailurePolicy().respond(new StreamsException(
                new GroupAuthorizationException("Not authorized to access group: kd-teacher")), 0))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(new ThreadFailurePolicy().respond(new StreamsException(
                new SaslAuthenticationException("Authentication failed")), 0)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void aBrokerErrorThatKeepsComingBackStopsTheClient() {
        final ThreadFailurePolicy policy = new ThreadFailurePolicy();
        for (int i = 0; i < ThreadFailurePolicy.MAX_REPLACEMENTS; i++) {
            assertThat(policy.respond(commitFailed(), i * MINUTE)).isEqualTo(REPLACE_THREAD);
        }
        assertThat(policy.respond(commitFailed(), 3 * MINUTE)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void oldReplacementsAgeOutOfTheWindow() {
        final ThreadFailurePolicy policy = new ThreadFailurePolicy();
        for (int i = 0; i < ThreadFailurePolicy.MAX_REPLACEMENTS; i++) {
            policy.respond(commitFailed(), i * MINUTE);
        }
        final long afterTheFirstAgedOut = ThreadFailurePolicy.WINDOW.toNanos() + MINUTE / 2;
        assertThat(policy.respond(commitFailed(), afterTheFirstAgedOut)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.respond(commitFailed(), afterTheFirstAgedOut + 1)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void aCauseCycleEnds() {
        final RuntimeException a = new RuntimeException("a");
        final RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(ThreadFailurePolicy.fromBroker(b)).isFalse();
    }
}
