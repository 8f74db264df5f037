package dev.kdstream.teacher.streams;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.InvalidRecordException.Reason;
import dev.kdstream.contracts.records.Selection;

/**
 * The teacher's own meters. Shared by every task's processors: Micrometer meters are
 * thread-safe, and registering the same name and tags twice returns the same meter. Bind it
 * before the topology runs: the processors count into the registry it was bound to last.
 */
public final class TeacherMetrics implements MeterBinder {

    /** Values of {@link MetricNames#STAGE} for {@link MetricNames#RECORDS}. */
    public static final String RECEIVED = "received";
    public static final String ANNOTATED = "annotated";
    /** {@link MetricNames#SELECTION} of an unlabelled record the budget did not buy: nothing is written. */
    public static final String LEFT_OUT = "left_out";
    /** {@link MetricNames#STAGE}s of {@link MetricNames#TEACHER_BUDGET}. */
    public static final String TARGET = "target";
    public static final String REALISED = "realised";

    private Counter received;
    private Counter annotated;
    private DistributionSummary batchSize;
    private Timer batchLatency;
    private Counter inputRecreated;
    private final Map<Reason, Counter> deadLetters = new EnumMap<>(Reason.class);
    private final Map<Selection, Counter> selected = new EnumMap<>(Selection.class);
    private Counter leftOut;
    private Counter labels;
    private Counter boosted;
    private Counter rehearsal;
    private Counter callsSaved;
    /**
     * The budget a task's sampler aimed at, as of its last flush: with an adaptive sampler each task
     * moves its own, and this is the one that flushed last.
     */
    private final AtomicLong budgetBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));

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
                .description("records the ensemble annotated (published with soft targets)")
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
        for (final Selection s : Selection.values()) {
            // neither is a record of the stream the teacher decided on
            if (s != Selection.LATE_LABEL && s != Selection.REHEARSAL) {
                selected.put(s, selection(registry, s.tag()));
            }
        }
        boosted = Counter.builder(MetricNames.TEACHER_BOOSTED)
                .description("records annotated in full after a drift detection, whatever the budget")
                .register(registry);
        rehearsal = Counter.builder(MetricNames.TEACHER_REHEARSAL)
                .description("records of a refreshed ensemble's lesson written for the trainer (not stream records)")
                .register(registry);
        labels = Counter.builder(MetricNames.TEACHER_LABELS_FORWARDED)
                .description("labels from the labels topic passed on to the trainer (invalid ones: "
                        + MetricNames.DEAD_LETTERS + ")")
                .register(registry);
        leftOut = selection(registry, LEFT_OUT);
        // no base unit: it would make the Prometheus name kd_teacher_calls_saved_records_total
        callsSaved = Counter.builder(MetricNames.TEACHER_CALLS_SAVED)
                .description("training records the ensemble did not annotate (label_only + unannotated + left_out)")
                .register(registry);
        // the budget: what the sampler aims at now, and the share of training records annotated since
        // start (uniform + uncertain over all training records decided)
        Gauge.builder(MetricNames.TEACHER_BUDGET, budgetBits, b -> Double.longBitsToDouble(b.get()))
                .description("share of training records the teacher budget aims to annotate now")
                .tag(MetricNames.STAGE, TARGET)
                .register(registry);
        Gauge.builder(MetricNames.TEACHER_BUDGET, this, TeacherMetrics::realisedBudget)
                .description("share of training records annotated since start")
                .tag(MetricNames.STAGE, REALISED)
                .register(registry);
        // every reason up front, so a dashboard shows zeros instead of missing series
        for (final Reason reason : Reason.values()) {
            deadLetters.put(reason, Counter.builder(MetricNames.DEAD_LETTERS)
                    .description("invalid feature records sent to the dead-letter topic")
                    .tag(MetricNames.REASON, reason.tag())
                    .register(registry));
        }
    }

    private static Counter selection(final MeterRegistry registry, final String tag) {
        return Counter.builder(MetricNames.TEACHER_SELECTED)
                .description("valid feature records by the teacher budget's decision: annotated (uniform, "
                        + "uncertain, holdout), passed on for the label alone (label_only), or left out (unlabelled "
                        + "and not chosen)")
                .tag(MetricNames.SELECTION, tag)
                .register(registry);
    }

    private double realisedBudget() {
        final double annotated = selected.get(Selection.UNIFORM).count() + selected.get(Selection.UNCERTAIN).count();
        final double all = annotated + selected.get(Selection.LABEL_ONLY).count()
                + selected.get(Selection.UNANNOTATED).count() + leftOut.count();
        return all == 0 ? Double.NaN : annotated / all;
    }

    void budgetNow(final double budget) {
        budgetBits.set(Double.doubleToLongBits(budget));
    }

    /** Records written to the output by one flush, by why: annotated, or passed on for their label alone. */
    void written(final Map<Selection, Integer> bySelection) {
        for (final Map.Entry<Selection, Integer> e : bySelection.entrySet()) {
            selected.get(e.getKey()).increment(e.getValue());
            (e.getKey().annotated() ? annotated : callsSaved).increment(e.getValue());
        }
    }

    /** Unlabelled training records the budget did not buy: nothing written, the position moved past them. */
    void leftOut(final long records) {
        if (records > 0) {
            leftOut.increment(records);
            callsSaved.increment(records);
        }
    }

    void boosted() {
        boosted.increment();
    }

    void rehearsal(final int records) {
        rehearsal.increment(records);
    }

    void labelForwarded() {
        labels.increment();
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
}
