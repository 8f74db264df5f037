package dev.kdstream.student.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.model.eval.KnowledgeRecovered;

class TrainerMetricsTest {

    @Test
    void gaugesReadTheNewestSnapshotAndCloseRemovesEveryMeter() {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final AtomicReference<Evaluation> evaluation = new AtomicReference<>(Evaluation.EMPTY);
        final AtomicLong version = new AtomicLong();
        final TrainerMetrics metrics = new TrainerMetrics(evaluation::get, version::get, () -> 0);
        metrics.bindTo(registry);

        assertThat(gauge(registry, MetricNames.DISTILLED, MetricNames.HOLDOUT)).isNaN();

        evaluation.set(new Evaluation(accuracies(1000, 978, 972, 965), accuracies(20, 19, 17, 15),
                accuracies(4, 4, 3, 2), 0.6, 0.02, 1000, 4));
        version.set(7);
        metrics.trained(MetricNames.DISTILLED, 64);
        metrics.trained(MetricNames.DISTILLED, 3);
        metrics.checkpointed();
        metrics.deadLetter("malformed_json");

        assertThat(gauge(registry, MetricNames.TEACHER, MetricNames.PREQUENTIAL_WINDOW)).isEqualTo(0.978);
        assertThat(gauge(registry, MetricNames.BASELINE, MetricNames.PREQUENTIAL_CUMULATIVE)).isEqualTo(0.75);
        assertThat(gauge(registry, MetricNames.DISTILLED, MetricNames.HOLDOUT)).isEqualTo(0.75);
        assertThat(registry.get(MetricNames.KNOWLEDGE_RECOVERED).tag(MetricNames.EVAL, MetricNames.HOLDOUT)
                .gauge().value()).isEqualTo(0.5);
        // window: 13 records of gap, 7 recovered; Fieller's bounds found by bisection outside the code
        assertThat(registry.get(MetricNames.KNOWLEDGE_RECOVERED)
                .tag(MetricNames.EVAL, MetricNames.PREQUENTIAL_WINDOW).gauge().value()).isCloseTo(7.0 / 13,
                within(1e-12));
        assertThat(registry.get(MetricNames.KNOWLEDGE_RECOVERED_LOWER)
                .tag(MetricNames.EVAL, MetricNames.PREQUENTIAL_WINDOW).gauge().value()).isCloseTo(0.21624919137889204,
                within(1e-9));
        assertThat(registry.get(MetricNames.KNOWLEDGE_RECOVERED_UPPER)
                .tag(MetricNames.EVAL, MetricNames.PREQUENTIAL_WINDOW).gauge().value()).isCloseTo(0.8606738855441849,
                within(1e-9));
        assertThat(registry.get(MetricNames.EVALUATED_RECORDS).tag(MetricNames.EVAL, MetricNames.HOLDOUT)
                .gauge().value()).isEqualTo(4.0);
        // 4 records are too few for an interval: an estimate, no bound
        assertThat(registry.get(MetricNames.KNOWLEDGE_RECOVERED_LOWER).tag(MetricNames.EVAL, MetricNames.HOLDOUT)
                .gauge().value()).isNaN();
        assertThat(registry.get(MetricNames.AGREEMENT).gauge().value()).isEqualTo(0.6);
        assertThat(registry.get(MetricNames.KL_TO_TEACHER).gauge().value()).isEqualTo(0.02);
        assertThat(registry.get(MetricNames.MODEL_VERSION).gauge().value()).isEqualTo(7.0);
        assertThat(registry.get(MetricNames.RECORDS_TRAINED).tag(MetricNames.MODEL, MetricNames.DISTILLED)
                .counter().count()).isEqualTo(67.0);
        assertThat(registry.get(MetricNames.RECORDS_TRAINED).tag(MetricNames.MODEL, MetricNames.BASELINE)
                .counter().count()).isZero();
        assertThat(registry.get(MetricNames.CHECKPOINTS).counter().count()).isEqualTo(1.0);
        assertThat(registry.get(MetricNames.DEAD_LETTERS).tag(MetricNames.REASON, "malformed_json")
                .tag(MetricNames.SERVICE, TrainerMetrics.SERVICE).counter().count()).isEqualTo(1.0);

        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void oneScrapeReadsOneSnapshotEvenWhileTheTrainerPublishesNewOnes() {
        // every read of the evaluation is a newer one: the trainer publishing after each poll, mid-scrape
        final Evaluation equal = new Evaluation(accuracies(10, 9, 9, 9), accuracies(10, 9, 9, 9),
                accuracies(1000, 965, 965, 965), 0.99, 0.01, 10, 1000);
        final Evaluation apart = new Evaluation(accuracies(10, 9, 9, 9), accuracies(10, 9, 9, 9),
                accuracies(1000, 965, 965, 955), 0.99, 0.01, 10, 1000);
        final Random published = new Random(42);
        try (ServiceMetrics service = new ServiceMetrics("student")) {
            final TrainerMetrics metrics = new TrainerMetrics(() -> published.nextBoolean() ? equal : apart,
                    () -> 1L, () -> 0);
            metrics.bindTo(service.registry());
            metrics.snapshotPerScrape(service);
            for (int scrape = 0; scrape < 20; scrape++) {
                final String text = service.scrape();
                final boolean equalAccuracies = text.contains(
                        "kd_accuracy{eval=\"holdout\",model=\"baseline\",service=\"student\"} 0.965");
                // equal accuracies: recovered undefined; a 1 pt gap with the distilled on the ensemble: 100 %
                assertThat(text).as("scrape " + scrape).contains(equalAccuracies
                        ? "kd_knowledge_recovered{eval=\"holdout\",service=\"student\"} NaN"
                        : "kd_knowledge_recovered{eval=\"holdout\",service=\"student\"} 1.0");
            }
            metrics.close();
        }
    }

    /** n records, the first t right for the teacher, the first d for the distilled, the first b for the baseline. */
    private static Accuracies accuracies(final int n, final int t, final int d, final int b) {
        final long[] patterns = new long[8];
        for (int i = 0; i < n; i++) {
            patterns[KnowledgeRecovered.pattern(i < t, i < d, i < b)]++;
        }
        return Accuracies.of(patterns);
    }

    private static double gauge(final SimpleMeterRegistry registry, final String model, final String eval) {
        return registry.get(MetricNames.ACCURACY).tag(MetricNames.MODEL, model).tag(MetricNames.EVAL, eval)
                .gauge().value();
    }
}
