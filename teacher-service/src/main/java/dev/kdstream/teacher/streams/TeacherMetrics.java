package dev.kdstream.teacher.streams;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.InvalidRecordException.Reason;

/**
 * The teacher's own meters. Shared by every task's processors: Micrometer meters are
 * thread-safe, and registering the same name and tags twice returns the same meter. Bind it
 * before the topology runs: the processors count into the registry it was bound to last.
 */
public final class TeacherMetrics implements MeterBinder {

    /** Values of {@link MetricNames#STAGE} for {@link MetricNames#RECORDS}. */
    public static final String RECEIVED = "received";
    public static final String ANNOTATED = "annotated";

    private Counter received;
    private Counter annotated;
    private DistributionSummary batchSize;
    private Timer batchLatency;
    private Counter inputRecreated;
    private final Map<Reason, Counter> deadLetters = new EnumMap<>(Reason.class);

    /** Bound to {@code registry}. */
    public TeacherMetrics(final MeterRegistry registry) {
        bindTo(registry);
    }

    @Override
    public void bindTo(final MeterRegistry registry) {
        this.received = Counter.builder(MetricNames.RECORDS)
                .description("feature records read by the teacher")
                .baseUnit("records")
                .tag(MetricNames.STAGE, RECEIVED)
                .register(registry);
        this.annotated = Counter.builder(MetricNames.RECORDS)
                .description("soft-target records published by the teacher")
                .baseUnit("records")
                .tag(MetricNames.STAGE, ANNOTATED)
                .register(registry);
        this.batchSize = DistributionSummary.builder(MetricNames.TEACHER_BATCH_SIZE)
                .description("records per batched ensemble inference")
                .baseUnit("records")
                .register(registry);
        this.batchLatency = Timer.builder(MetricNames.TEACHER_BATCH_LATENCY)
                .description("one batched ensemble inference: scaling, teacher logits and soft targets")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.inputRecreated = Counter.builder(MetricNames.TEACHER_INPUT_RECREATED)
                .description("task starts that ignored a position stored for a deleted and re-created input topic")
                .register(registry);
        // every reason up front, so a dashboard shows zeros instead of missing series
        for (final Reason reason : Reason.values()) {
            deadLetters.put(reason, Counter.builder(MetricNames.DEAD_LETTERS)
                    .description("invalid feature records sent to the dead-letter topic")
                    .tag(MetricNames.REASON, reason.tag())
                    .register(registry));
        }
    }

    void received() {
        received.increment();
    }

    void deadLetter(final Reason reason) {
        deadLetters.get(reason).increment();
    }

    void batch(final int records, final long nanos) {
        batchSize.record(records);
        batchLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void inputRecreated() {
        inputRecreated.increment();
    }

    void annotated(final int records) {
        annotated.increment(records);
    }
}
