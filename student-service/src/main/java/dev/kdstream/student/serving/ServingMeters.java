package dev.kdstream.student.serving;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.kdstream.contracts.metrics.MetricNames;

/**
 * The server's own meters. The service tag comes from the registry's common tags. Bind it before
 * the topology runs: the processors count into the registry it was bound to last.
 */
public final class ServingMeters implements MeterBinder {

    /** {@link MetricNames#STAGE} values of {@link MetricNames#RECORDS}. */
    public static final String PREDICTED = "predicted";
    static final String HELD = "held";
    static final String REJECTED = "rejected";
    static final String ANSWER_EXPIRED = "answer_expired";

    /** {@link MetricNames#ROLE} values of {@link MetricNames#STUDENT_PREDICTIONS}. */
    public static final String SERVED = "served";
    public static final String SHADOW = "shadow";
    /** {@link MetricNames#OUTCOME} values of {@link MetricNames#STUDENT_PREDICTIONS}. */
    public static final String CORRECT = "correct";
    public static final String WRONG = "wrong";
    public static final String UNLABELLED = "unlabelled";
    /** {@link MetricNames#OUTCOME} values of {@link MetricNames#SERVER_LABELS}. */
    public static final String LABEL_JOINED = "joined";
    public static final String LABEL_EARLY = "early";
    public static final String LABEL_REJECTED = "rejected";
    public static final String LABEL_EXPIRED = "expired";
    public static final String LABEL_EARLY_JOINED = "early_joined";
    public static final String LABEL_EARLY_REJECTED = "early_rejected";

    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> lateOutcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> labels = new ConcurrentHashMap<>();
    private final Map<String, Counter> unfit = new ConcurrentHashMap<>();
    private MeterRegistry registry;
    private Timer latency;
    private Counter predicted;
    private Counter held;
    private Counter rejected;
    private Counter answersExpired;

    @Override
    public void bindTo(final MeterRegistry registry) {
        this.registry = registry;
        outcomes.clear();
        lateOutcomes.clear();
        labels.clear();
        unfit.clear();
        // percentiles only: with SLO buckets as well, Prometheus gets only the histogram
        // (docs/platform.md, "Micrometer")
        latency = Timer.builder(MetricNames.PREDICTION_LATENCY)
                .description("event time of a feature record to its prediction")
                .tag(MetricNames.MODEL, MetricNames.DISTILLED)
                .publishPercentiles(0.5, 0.9, 0.99, 0.999)
                .register(registry);
        predicted = records(registry, PREDICTED, "feature records answered with a prediction");
        held = records(registry, HELD, "feature records held until the first student checkpoint arrives");
        rejected = records(registry, REJECTED,
                "invalid feature records skipped (dead-lettered by the teacher-service)");
        answersExpired = records(registry, ANSWER_EXPIRED,
                "records answered without a label whose answers were too old to keep for a late label");
    }

    /** Event time (the record's ts) to prediction made. */
    Timer latency() {
        return latency;
    }

    /** Records answered. */
    Counter predicted() {
        return predicted;
    }

    /** Records held because no model existed yet (each is counted again when predicted). */
    Counter held() {
        return held;
    }

    /** Invalid records skipped (the teacher-service dead-letters them). */
    Counter rejected() {
        return rejected;
    }

    /** Records answered without a label whose answers were older than the late-label store keeps. */
    Counter answersExpired() {
        return answersExpired;
    }

    /**
     * One prediction of trainer {@code student}'s student, served or shadow, scored against the
     * record's label where it has one: accuracy per student on live traffic is
     * correct / (correct + wrong), side by side for the served and the shadow students.
     */
    void outcome(final String student, final String role, final Integer label, final int predicted) {
        studentCounter(outcomes, MetricNames.STUDENT_PREDICTIONS, "predictions per student, served or in its "
                + "shadow, by outcome against the record's label", student, role,
                label == null ? UNLABELLED : label == predicted ? CORRECT : WRONG).increment();
    }

    /**
     * One prediction made without a label, scored against the label that came later: served accuracy
     * on a stream whose labels come late is correct / (correct + wrong) of this counter.
     */
    void lateOutcome(final String student, final String role, final int label, final int predicted) {
        studentCounter(lateOutcomes, MetricNames.STUDENT_PREDICTIONS_LATE, "predictions per student, served or in "
                + "its shadow, made without a label, by outcome against the late label that came for them", student,
                role, label == predicted ? CORRECT : WRONG).increment();
    }

    private Counter studentCounter(final Map<String, Counter> counters, final String name, final String description,
                                   final String student, final String role, final String outcome) {
        return counters.computeIfAbsent(student + '\n' + role + '\n' + outcome, k -> Counter.builder(name)
                .description(description)
                .tag(MetricNames.STUDENT, student)
                .tag(MetricNames.ROLE, role)
                .tag(MetricNames.OUTCOME, outcome)
                .register(registry));
    }

    /**
     * Labels read from the labels topic, by what became of them when read: {@link #LABEL_JOINED} (its
     * record's answers were waiting), {@link #LABEL_EARLY} (it waits for its record),
     * {@link #LABEL_EXPIRED} (older than the store keeps), {@link #LABEL_REJECTED} (invalid); and by
     * what became of an early one when its record came: {@link #LABEL_EARLY_JOINED}, or
     * {@link #LABEL_EARLY_REJECTED} (out of the range of the model serving then). The last two count
     * labels counted early before: a sum over outcomes counts those twice.
     */
    Counter labels(final String outcome) {
        return labels.computeIfAbsent(outcome, o -> Counter.builder(MetricNames.SERVER_LABELS)
                .description("late labels the server read, by what became of them: joined to the answers waiting, "
                        + "early (waiting for their record), expired, rejected (invalid; the teacher dead-letters "
                        + "them); early ones that their record met later: early_joined, early_rejected")
                .tag(MetricNames.OUTCOME, o)
                .register(registry));
    }

    /** Records a shadow student did not predict: it takes another input width or number of classes. */
    Counter shadowUnfit(final String student) {
        return unfit.computeIfAbsent(student, s -> Counter.builder(MetricNames.SHADOW_UNFIT)
                .description("records a shadow student did not answer: another input width or number of classes "
                        + "than the served student's")
                .tag(MetricNames.STUDENT, s)
                .register(registry));
    }

    private static Counter records(final MeterRegistry registry, final String stage, final String description) {
        return Counter.builder(MetricNames.RECORDS)
                .description(description)
                .baseUnit("records")
                .tag(MetricNames.STAGE, stage)
                .register(registry);
    }
}
