package dev.kdstream.student.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.metrics.MetricNames;

class TrainerMetricsTest {

    @Test
    void gaugesReadTheNewestSnapshotAndCloseRemovesEveryMeter() {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final AtomicReference<Evaluation> evaluation = new AtomicReference<>(Evaluation.EMPTY);
        final AtomicLong version = new AtomicLong();
        final TrainerMetrics metrics = new TrainerMetrics(evaluation::get, version::get, () -> 0);
        metrics.bindTo(registry);

        assertThat(gauge(registry, MetricNames.DISTILLED, MetricNames.HOLDOUT)).isNaN();

        evaluation.set(new Evaluation(new Accuracies(0.9, 0.8, 0.7), new Accuracies(0.95, 0.85, 0.75),
                new Accuracies(1.0, 0.75, 0.5), 0.6, 0.02, 10, 4));
        version.set(7);
        metrics.trained(MetricNames.DISTILLED, 64);
        metrics.trained(MetricNames.DISTILLED, 3);
        metrics.checkpointed();
        metrics.deadLetter("malformed_json");

        assertThat(gauge(registry, MetricNames.TEACHER, MetricNames.PREQUENTIAL_WINDOW)).isEqualTo(0.9);
        assertThat(gauge(registry, MetricNames.BASELINE, MetricNames.PREQUENTIAL_CUMULATIVE)).isEqualTo(0.75);
        assertThat(gauge(registry, MetricNames.DISTILLED, MetricNames.HOLDOUT)).isEqualTo(0.75);
        assertThat(registry.get(MetricNames.KNOWLEDGE_RECOVERED).tag(MetricNames.EVAL, MetricNames.HOLDOUT)
                .gauge().value()).isEqualTo(0.5);
        assertThat(registry.get(MetricNames.KNOWLEDGE_RECOVERED)
                .tag(MetricNames.EVAL, MetricNames.PREQUENTIAL_WINDOW).gauge().value()).isCloseTo(0.5,
                within(1e-12));
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

    private static double gauge(final SimpleMeterRegistry registry, final String model, final String eval) {
        return registry.get(MetricNames.ACCURACY).tag(MetricNames.MODEL, model).tag(MetricNames.EVAL, eval)
                .gauge().value();
    }
}
