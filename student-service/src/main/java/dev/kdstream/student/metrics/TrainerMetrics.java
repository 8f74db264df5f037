package dev.kdstream.student.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.model.eval.KnowledgeRecovered;

/**
 * The trainer's meters. Gauges read the newest immutable {@link Evaluation} the trainer thread
 * published (never a DL4J network: those belong to the trainer thread). Bind it once, before the
 * trainer runs. Closing removes every meter, so a trainer restarted in the same JVM registers
 * fresh gauges instead of finding the old ones bound to the stopped trainer.
 */
public final class TrainerMetrics implements MeterBinder, AutoCloseable {

    /** The {@code service} tag of the trainer's dead-letter counter. */
    public static final String SERVICE = "student-trainer";
    /**
     * The {@code stage} tag of the trainer's model version: the server of the same student-service
     * registers {@code stage=serving} for the version it serves, with the same tag keys.
     */
    public static final String STAGE_TRAINING = "training";

    private final Supplier<Evaluation> evaluation;
    private final LongSupplier version;
    private final DoubleSupplier checkpointAgeSeconds;
    private final List<Meter> meters = new ArrayList<>();
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final Map<String, Counter> trained = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Counter> detections = new ConcurrentHashMap<>();
    private MeterRegistry registry;
    /** The snapshot taken as the current scrape began, or null outside one: the gauges read the newest. */
    private volatile Evaluation scraped;
    private Counter checkpoints;
    private Counter publishFailures;

    /**
     * @param evaluation           the newest snapshot (a volatile read)
     * @param version              the newest checkpoint version written
     * @param checkpointAgeSeconds since the newest acknowledged checkpoint, readable from any thread
     */
    public TrainerMetrics(final Supplier<Evaluation> evaluation, final LongSupplier version,
                          final DoubleSupplier checkpointAgeSeconds) {
        this.evaluation = evaluation;
        this.version = version;
        this.checkpointAgeSeconds = checkpointAgeSeconds;
    }

    @Override
    public void bindTo(final MeterRegistry registry) {
        this.registry = registry;
        for (final String eval : List.of(MetricNames.PREQUENTIAL_WINDOW, MetricNames.PREQUENTIAL_CUMULATIVE,
                MetricNames.HOLDOUT)) {
            final Supplier<Accuracies> accuracies = () -> accuracies(current(), eval);
            accuracy(MetricNames.TEACHER, eval, () -> accuracies.get().teacher());
            accuracy(MetricNames.DISTILLED, eval, () -> accuracies.get().distilled());
            accuracy(MetricNames.BASELINE, eval, () -> accuracies.get().baseline());
            gauge(Gauge.builder(MetricNames.EVALUATED_RECORDS, accuracies, a -> (double) a.get().records())
                    .tag(MetricNames.EVAL, eval)
                    .description("labelled records these accuracies rest on"));
        }
        for (final String eval : List.of(MetricNames.PREQUENTIAL_WINDOW, MetricNames.HOLDOUT)) {
            final Supplier<KnowledgeRecovered> recovered = () -> accuracies(current(), eval).recovered();
            gauge(Gauge.builder(MetricNames.KNOWLEDGE_RECOVERED, recovered, r -> r.get().share())
                    .tag(MetricNames.EVAL, eval)
                    .description("(distilled - baseline) / (ensemble - baseline) accuracy; NaN where undefined "
                            + "(no records, or the ensemble does not beat the baseline)"));
            gauge(Gauge.builder(MetricNames.KNOWLEDGE_RECOVERED_LOWER, recovered, r -> r.get().lower())
                    .tag(MetricNames.EVAL, eval)
                    .description("lower end of the knowledge recovered's 95% interval (Fieller); NaN where unbounded"));
            gauge(Gauge.builder(MetricNames.KNOWLEDGE_RECOVERED_UPPER, recovered, r -> r.get().upper())
                    .tag(MetricNames.EVAL, eval)
                    .description("upper end of the knowledge recovered's 95% interval (Fieller); NaN where unbounded"));
        }
        gauge(Gauge.builder(MetricNames.AGREEMENT, this, m -> m.current().agreement())
                .description("share of records where the distilled student and the ensemble agree (rolling window)"));
        gauge(Gauge.builder(MetricNames.KL_TO_TEACHER, this, m -> m.current().klToTeacher())
                .description("mean KL(soft targets || distilled student at T), rolling window"));
        gauge(Gauge.builder(MetricNames.MODEL_VERSION, version, v -> (double) v.getAsLong())
                .tags(MetricNames.MODEL, MetricNames.DISTILLED, MetricNames.STAGE, STAGE_TRAINING)
                .description("newest student version checkpointed by the trainer"));
        checkpoints = remember(Counter.builder(MetricNames.CHECKPOINTS)
                .description("checkpoints written")
                .register(registry));
        publishFailures = remember(Counter.builder(MetricNames.CHECKPOINT_PUBLISH_FAILURES)
                .description("checkpoints the broker did not acknowledge; each is retried a checkpoint interval later")
                .register(registry));
        gauge(Gauge.builder(MetricNames.CHECKPOINT_AGE, checkpointAgeSeconds, DoubleSupplier::getAsDouble)
                .baseUnit("seconds")
                .description("time since the newest acknowledged checkpoint (since the trainer's start before one)"));
        // both arms show from the start, at 0
        trainedCounter(MetricNames.DISTILLED);
        trainedCounter(MetricNames.BASELINE);
    }

    /** One change a drift detector found in {@code signal} ({@link MetricNames#DRIFT_DETECTIONS}). */
    public void driftDetected(final String signal) {
        detections.computeIfAbsent(signal, s -> remember(Counter.builder(MetricNames.DRIFT_DETECTIONS)
                .description("changes the trainer's drift detectors found (drift-events has each)")
                .tag(MetricNames.SIGNAL, s)
                .register(registry))).increment();
    }

    /** {@link MetricNames#TEACHER_TRUST}: the weight of the teacher's soft term relative to alpha, read from any thread. */
    public void bindTrust(final DoubleSupplier trust) {
        gauge(Gauge.builder(MetricNames.TEACHER_TRUST, trust, DoubleSupplier::getAsDouble)
                .description("weight of the distilled student's soft term relative to alpha: 1 while the teacher is "
                        + "within a point of the baseline on the recent labelled records, 0 from 5 points below"));
    }

    /**
     * From now on every {@link ServiceMetrics#scrape} reads one snapshot, taken as it begins; a gauge
     * read elsewhere (straight from the registry) still reads the newest. Each gauge reading the
     * newest mixed two snapshots in about 1 scrape in 30 (knowledge recovered 100 % beside three equal
     * accuracies).
     */
    public void snapshotPerScrape(final ServiceMetrics metrics) {
        binders.add(metrics.aroundEachScrape(() -> scraped = evaluation.get(), () -> scraped = null));
    }

    private Evaluation current() {
        final Evaluation s = scraped;
        return s != null ? s : evaluation.get();
    }

    /** Records one model took an optimiser step on. */
    public void trained(final String model, final int records) {
        trainedCounter(model).increment(records);
    }

    public void checkpointed() {
        checkpoints.increment();
    }

    /** A checkpoint the broker did not acknowledge. */
    public void publishFailed() {
        publishFailures.increment();
    }

    /** An invalid soft-target record, skipped. */
    public void deadLetter(final String reason) {
        deadLetters.computeIfAbsent(reason, r -> remember(Counter.builder(MetricNames.DEAD_LETTERS)
                .tags(MetricNames.SERVICE, SERVICE, MetricNames.REASON, r)
                .description("invalid records skipped or dead-lettered")
                .register(registry))).increment();
    }

    /** Kafka's own client metrics for the trainer's consumer, unbound on {@link #close()}. */
    public void bindKafkaClient(final Consumer<?, ?> consumer) {
        final KafkaClientMetrics binder = new KafkaClientMetrics(consumer);
        binder.bindTo(registry);
        binders.add(binder);
    }

    /** Likewise for the checkpoint producer. */
    public void bindKafkaClient(final Producer<?, ?> producer) {
        final KafkaClientMetrics binder = new KafkaClientMetrics(producer);
        binder.bindTo(registry);
        binders.add(binder);
    }

    @Override
    public void close() {
        for (final AutoCloseable b : binders) {
            try {
                b.close();
            } catch (Exception ignored) {
                // shutting down: a binder that fails to unregister leaves only stale meters behind
            }
        }
        binders.clear();
        synchronized (meters) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }

    private Counter trainedCounter(final String model) {
        return trained.computeIfAbsent(model, m -> remember(Counter.builder(MetricNames.RECORDS_TRAINED)
                .tag(MetricNames.MODEL, m)
                .description("records the model took an optimiser step on")
                .register(registry)));
    }

    private void accuracy(final String model, final String eval, final Supplier<Double> value) {
        gauge(Gauge.builder(MetricNames.ACCURACY, value, Supplier::get)
                .tags(MetricNames.MODEL, model, MetricNames.EVAL, eval)
                .description("accuracy (NaN before any labelled record)"));
    }

    private static Accuracies accuracies(final Evaluation e, final String eval) {
        return switch (eval) {
            case MetricNames.PREQUENTIAL_WINDOW -> e.window();
            case MetricNames.PREQUENTIAL_CUMULATIVE -> e.cumulative();
            default -> e.holdout();
        };
    }

    private <T> void gauge(final Gauge.Builder<T> builder) {
        remember(builder.strongReference(true).register(registry));
    }

    private <M extends Meter> M remember(final M meter) {
        synchronized (meters) {
            meters.add(meter);
        }
        return meter;
    }
}
