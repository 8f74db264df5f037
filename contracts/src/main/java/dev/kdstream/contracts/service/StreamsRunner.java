package dev.kdstream.contracts.service;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.kafka.HangingTransactionSweeper;
import dev.kdstream.contracts.kafka.KafkaAccess;
import dev.kdstream.contracts.metrics.MetricNames;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * One Kafka Streams client with the lifecycle every kd-stream topology shares: a stream thread that
 * fails on a broker error is replaced, any other failure stops the client ({@link ThreadFailurePolicy}),
 * the client's metrics are bound to the service's registry (and unbound on close), an exactly-once
 * client's output is swept for hanging transactions ({@link HangingTransactionSweeper}), health is
 * RUNNING or REBALANCING, and close leaves the group.
 */
public final class StreamsRunner implements Service {

    /** How long {@link #close()} waits for the stream threads to commit and stop. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

    private final String name;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;
    private final Duration closeTimeout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ThreadFailurePolicy failures = new ThreadFailurePolicy();
    /** What stopped the client, if a stream thread's failure did. */
    private volatile Throwable failure;
    /** Null unless the client runs exactly-once (only then does it write transactions). */
    private HangingTransactionSweeper sweeper;

    private StreamsRunner(final String name, final KafkaStreams streams, final MeterRegistry registry,
                          final Duration closeTimeout) {
        this.name = name;
        this.streams = streams;
        this.closeTimeout = closeTimeout;
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        final Counter replaced = Counter.builder(MetricNames.STREAM_THREADS_REPLACED)
                .description("Stream threads replaced after a broker error").register(registry);
        streams.setUncaughtExceptionHandler(e -> {
            final StreamThreadExceptionResponse response = failures.respond(e, System.nanoTime());
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                replaced.increment();
                LOG.warn("{}: a stream thread failed on a broker error; replacing it (its transaction is "
                        + "aborted, its successor resumes from the last commit)", name, e);
                return response;
            }
            failure = e;
            final Optional<String> refusal = KafkaAccess.explain(e);
            if (refusal.isPresent()) {
                LOG.error("{}: stopping: {}", name, refusal.get());
            } else {
                LOG.error("{}: a stream thread failed; stopping {}", name, name, e);
            }
            return response;
        });
        this.metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
    }

    /**
     * Builds the client and starts it (asynchronously: see {@link #state()}).
     *
     * @param name     for the log: which service's client this is
     * @param registry where the Kafka Streams client metrics go
     */
    public static StreamsRunner start(final String name, final Topology topology, final Properties config,
                                      final MeterRegistry registry) {
        return start(name, topology, config, registry, CLOSE_TIMEOUT);
    }

    /** @param closeTimeout how long {@link #close()} waits for the stream threads */
    public static StreamsRunner start(final String name, final Topology topology, final Properties config,
                                      final MeterRegistry registry, final Duration closeTimeout) {
        // validated (and logged) once, for the client and for the sweeper's settings
        final StreamsConfig streamsConfig = new StreamsConfig(config);
        final StreamsRunner runner = new StreamsRunner(name, new KafkaStreams(topology, streamsConfig), registry,
                closeTimeout);
        try {
            runner.streams.start();
            if (StreamsConfig.EXACTLY_ONCE_V2.equals(streamsConfig.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
                final String applicationId = streamsConfig.getString(StreamsConfig.APPLICATION_ID_CONFIG);
                // the client settings an Admin takes (connection, security), as Streams gives its own admin
                final Properties admin = new Properties();
                admin.putAll(streamsConfig.getAdminConfigs(applicationId + "-sweeper"));
                runner.sweeper = HangingTransactionSweeper.start(admin, applicationId, sinkTopics(topology),
                        registry);
            }
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
        return runner;
    }

    /** The topics the topology writes to (its sinks). */
    static Set<String> sinkTopics(final Topology topology) {
        return topology.describe().subtopologies().stream()
                .flatMap(sub -> sub.nodes().stream())
                .filter(node -> node instanceof TopologyDescription.Sink sink && sink.topic() != null)
                .map(node -> ((TopologyDescription.Sink) node).topic())
                .collect(Collectors.toSet());
    }

    /** CREATED, REBALANCING, RUNNING, ... (status lines, failure checks). */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** What stopped the client, if a stream thread's failure did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Why the client stopped, in one line, when it did by failing: a refused login or ACL explained,
     * anything else pointing at the log.
     */
    public Optional<String> failureMessage() {
        return failure().map(f -> KafkaAccess.explain(f).orElse("the streams app failed (the log above says why): "
                + f));
    }

    /** Processing, or about to be again. */
    @Override
    public boolean healthy() {
        final KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
    }

    /** Blocks until the client stops, by {@link #close()} or by a failure. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** @return false when the client is still running after {@code timeout} */
    public boolean awaitStop(final Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (sweeper != null) {
                sweeper.close();
            }
            // leave the group: the other instances take this one's partitions at once, not after
            // the session timeout
            streams.close(CloseOptions.timeout(closeTimeout)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            // the state listener runs on Streams' own thread and may not have been called yet
            final KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        } finally {
            metrics.close();
        }
        LOG.info("{} stopped ({})", name, streams.state());
    }
}
