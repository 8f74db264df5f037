package dev.kdstream.bench.e2e;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import dev.kdstream.client.produce.ProduceSummary;
import dev.kdstream.client.produce.ProducerService;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.launcher.stack.Pipeline;

/**
 * Runs one measured phase of {@code ./kd bench e2e}: the same records through raw Kafka, through
 * the pipeline, or through the Kafka-only topology, each on topics of its own name prefix, timed
 * until every record is through. A phase that stops moving is reported with the counts reached.
 */
final class PhaseRunner {

    /** A phase that makes no progress for this long is reported as stuck, not waited on. */
    private static final long STALL_MILLIS = 60_000;

    private final Dataset train;
    private final int partitions;
    private final long records;
    private final long warmupRecords;

    /**
     * @param records       records of the Kafka-only phase
     * @param warmupRecords records through the Kafka-only topology before it is timed
     */
    PhaseRunner(final Dataset train, final int partitions, final long records, final long warmupRecords) {
        this.train = train;
        this.partitions = partitions;
        this.records = records;
        this.warmupRecords = warmupRecords;
    }

    /** The producer's records into a fresh topic, read back by a plain consumer. */
    PhaseResult raw(final KdConfig base, final String name, final long count, final double rate, final int warmup)
            throws Exception {
        final KdConfig config = BenchStack.prefixed(base, "raw-" + name + "-");
        TopicAdmin.ensureTopics(config.kafkaProperties(), config.topics(), partitions, (short) 1);
        final long start = System.currentTimeMillis();
        final LatencyRecorder recorder = new LatencyRecorder("", start + warmup * 1000L);
        try (TopicTap tap = TopicTap.features(config, recorder);
             ServiceMetrics metrics = new ServiceMetrics("bench-producer")) {
            final ProducerService producer = ProducerService.start(config,
                    BenchStack.messages(train, count, name + "-"), count, rate, metrics, null);
            final ProduceSummary produced = producer.awaitCompletion();
            producer.close();
            awaitDone(tap::requireAlive, () -> recorder.received() >= produced.acked(), recorder::received);
            return new PhaseResult("raw", rate, produced, recorder.received(), recorder.received(),
                    recorder.received(), recorder.duplicates(), (recorder.lastArrivalMillis() - start) / 1e3,
                    recorder.arrivalLatency(), Percentiles.NONE, recorder.received());
        }
    }

    /** The records through the running pipeline, until every one is annotated, trained on and predicted. */
    PhaseResult pipeline(final KdConfig config, final Pipeline pipeline, final TopicTap tap, final String name,
                         final long count, final double rate, final int warmup) throws Exception {
        return pipeline(config, pipeline, tap, name, count, rate, warmup, (millis, done) -> { });
    }

    /** {@link #pipeline}, with the records every stage has taken sampled into {@code progress}. */
    PhaseResult pipeline(final KdConfig config, final Pipeline pipeline, final TopicTap tap, final String name,
                         final long count, final double rate, final int warmup, final RateCurve.Sampler progress)
            throws Exception {
        final Pipeline.Counts before = pipeline.counts();
        final long start = System.currentTimeMillis();
        final LatencyRecorder recorder = new LatencyRecorder(name + "-", start + warmup * 1000L);
        tap.phase(recorder);
        try (ServiceMetrics metrics = new ServiceMetrics("bench-producer");
             Sampling sampling = new Sampling(() -> pipeline.counts().minus(before).least(), progress)) {
            final ProducerService producer = ProducerService.start(config,
                    BenchStack.messages(train, count, name + "-"), count, rate, metrics, null);
            final ProduceSummary produced = producer.awaitCompletion();
            producer.close();
            // when every stage had every record: the phase's end, whenever the reader catches up
            final long[] drainedAt = {-1};
            final Pipeline.Counts[] taken = {new Pipeline.Counts(0, 0, 0, 0)};
            awaitDone(() -> {
                tap.requireAlive();
                pipeline.requireTrainerAlive();
                taken[0] = pipeline.counts().minus(before);
                if (drainedAt[0] < 0 && taken[0].reached(produced.acked())) {
                    drainedAt[0] = System.currentTimeMillis();
                    // the curve ends with the records; the wait for the reader is not the pipeline's
                    sampling.close();
                }
            }, () -> drainedAt[0] >= 0 && recorder.received() >= produced.acked(),
                    () -> taken[0].sum() + recorder.received());
            final long end = drainedAt[0] >= 0 ? drainedAt[0] : System.currentTimeMillis();
            final Pipeline.Counts counts = pipeline.counts().minus(before);
            return new PhaseResult("pipeline", rate, produced, counts.taught(), counts.trained(), counts.predicted(),
                    recorder.duplicates(), (Math.max(end, recorder.lastArrivalMillis()) - start) / 1e3,
                    recorder.arrivalLatency(), recorder.servedLatency(), recorder.received());
        }
    }

    /**
     * (d): {@link KafkaOnlyPipeline} fed the same records as fast as the broker takes them, timed
     * until both of its readers have every record (after a warm-up of its own).
     */
    KafkaOnlyResult kafkaOnly(final KdConfig base) throws Exception {
        final KdConfig config = BenchStack.prefixed(base, "kafka-only-");
        TopicAdmin.ensureTopics(config.kafkaProperties(), config.topics(), partitions, (short) 1);
        try (KafkaOnlyPipeline pipeline = new KafkaOnlyPipeline(config);
             ServiceMetrics metrics = new ServiceMetrics("bench-producer")) {
            long expected = 0;
            if (warmupRecords > 0) {
                expected += produce(config, "kw-", warmupRecords, metrics).acked();
                awaitDelivered(pipeline, expected);
            }
            final long start = System.currentTimeMillis();
            final ProduceSummary produced;
            final ThreadCpu[] span;
            try (ThreadCpu.Recorder cpu = new ThreadCpu.Recorder(100)) {
                produced = produce(config, "k-", records, metrics);
                expected += produced.acked();
                awaitDelivered(pipeline, expected);
                span = cpu.stop();
            }
            return new KafkaOnlyResult(produced.acked(), produced.failed(),
                    pipeline.delivered() - (expected - produced.acked()), (System.currentTimeMillis() - start) / 1e3,
                    span);
        }
    }

    private ProduceSummary produce(final KdConfig config, final String prefix, final long count,
                                   final ServiceMetrics metrics) throws InterruptedException {
        final ProducerService producer = ProducerService.start(config, BenchStack.messages(train, count, prefix),
                count, 0, metrics, null);
        final ProduceSummary produced = producer.awaitCompletion();
        producer.close();
        return produced;
    }

    private static void awaitDelivered(final KafkaOnlyPipeline pipeline, final long expected)
            throws InterruptedException {
        awaitDone(() -> {
            if (!pipeline.running()) {
                throw new IllegalStateException("the Kafka-only pipeline stopped");
            }
        }, () -> pipeline.delivered() >= expected, pipeline::delivered);
    }

    /**
     * Polls every 20 ms, {@code check} first (it throws when a part has failed), until {@code done};
     * gives up quietly once {@code progress} has not moved for {@link #STALL_MILLIS}, and the caller
     * reports the counts reached.
     */
    private static void awaitDone(final Runnable check, final BooleanSupplier done, final LongSupplier progress)
            throws InterruptedException {
        long seen = -1;
        long lastProgress = System.currentTimeMillis();
        while (true) {
            check.run();
            if (done.getAsBoolean()) {
                return;
            }
            final long moved = progress.getAsLong();
            final long now = System.currentTimeMillis();
            if (moved != seen) {
                seen = moved;
                lastProgress = now;
            } else if (now - lastProgress > STALL_MILLIS) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
