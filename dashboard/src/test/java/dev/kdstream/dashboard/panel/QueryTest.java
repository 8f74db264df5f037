package dev.kdstream.dashboard.panel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kdstream.dashboard.scrape.Sample;

class QueryTest {

    private static Sample s(final String name, final double value, final String... labels) {
        final Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return new Sample(name, m, value);
    }

    @Test
    void aGaugeSumsTheMatchingSamplesPerValueOfItsByLabels() {
        final Query q = Query.gauge("kd_records_total", "{service} {stage}", "kind", "x").by("service", "stage");
        final Map<String, double[]> raw = q.raw(List.of(
                s("kd_records_total", 2, "kind", "x", "service", "teacher", "stage", "annotated", "partition", "0"),
                s("kd_records_total", 3, "kind", "x", "service", "teacher", "stage", "annotated", "partition", "1"),
                s("kd_records_total", 7, "kind", "x", "service", "student", "stage", "predicted"),
                s("kd_records_total", 100, "kind", "y", "service", "student", "stage", "predicted"),
                s("kd_other", 1000, "kind", "x", "service", "student", "stage", "predicted")));
        assertThat(raw).containsOnlyKeys("teacher annotated", "student predicted");
        assertThat(q.value(raw.get("teacher annotated"), null, 1)).isEqualTo(5);
        assertThat(q.value(raw.get("student predicted"), null, 1)).isEqualTo(7);
    }

    @Test
    void aRateIsTheIncreasePerSecondAndUndefinedAtTheFirstScrapeAndAcrossAReset() {
        final Query q = Query.rate("c_total", "c");
        assertThat(q.value(new double[] {100}, null, 2)).isNaN();
        assertThat(q.value(new double[] {1100}, new double[] {100}, 2)).isEqualTo(500);
        assertThat(q.value(new double[] {40}, new double[] {1100}, 2)).as("a restarted service's counter").isNaN();
    }

    @Test
    void aMeanOfIncreaseIsTheTimersMeanOverTheEventsBetweenTwoScrapes() {
        final Query q = Query.meanOfIncrease("lat_seconds", "mean");
        final Map<String, double[]> before = q.raw(List.of(s("lat_seconds_sum", 10), s("lat_seconds_count", 100)));
        final Map<String, double[]> now = q.raw(List.of(s("lat_seconds_sum", 16), s("lat_seconds_count", 400)));
        assertThat(q.value(now.get("mean"), before.get("mean"), 1)).isCloseTo(0.02, within(1e-12));
        assertThat(q.value(before.get("mean"), before.get("mean"), 1)).as("no event between").isNaN();
    }

    @Test
    void aGaugeShownWhileACounterIncreasesIsUndefinedWhileItStands() {
        final Query q = Query.gauge("lat_seconds", "p99", "quantile", "0.99").whileIncreasing("lat_seconds_count");
        final Map<String, double[]> first = q.raw(List.of(s("lat_seconds", 0.5, "quantile", "0.99"),
                s("lat_seconds_count", 10)));
        final Map<String, double[]> moving = q.raw(List.of(s("lat_seconds", 0.4, "quantile", "0.99"),
                s("lat_seconds_count", 20)));
        final Map<String, double[]> idle = q.raw(List.of(s("lat_seconds", 0.0, "quantile", "0.99"),
                s("lat_seconds_count", 20)));
        assertThat(q.value(first.get("p99"), null, 1)).isNaN();
        assertThat(q.value(moving.get("p99"), first.get("p99"), 1)).isEqualTo(0.4);
        assertThat(q.value(idle.get("p99"), moving.get("p99"), 1)).as("an emptied window's 0 is not a latency").isNaN();
    }

    @Test
    void theStandardLayoutNamesItsMetricsAsPrometheusDoes() {
        assertThat(Prometheus.counter("kd.records")).isEqualTo("kd_records_total");
        assertThat(Prometheus.timer("kd.prediction.latency")).isEqualTo("kd_prediction_latency_seconds");
        assertThat(Layout.standard().panels()).extracting(Panel::id).doesNotHaveDuplicates();
        assertThat(Layout.standard().tiles()).extracting(Tile::id).doesNotHaveDuplicates();
    }

    @Test
    void unitsNeverPrintNaN() {
        assertThat(Unit.PERCENT.format(0.9672)).isEqualTo("96.72 %");
        assertThat(Unit.PERCENT.format(Double.NaN)).isEqualTo("undefined");
        assertThat(Unit.SECONDS.format(0.0123)).isEqualTo("12.3 ms");
        assertThat(Unit.PER_SECOND.format(12345.6)).isEqualTo("12,346/s");
        assertThat(Unit.NUMBER.format(0.0055322)).isEqualTo("0.00553");
        assertThat(Unit.NUMBER.format(Double.POSITIVE_INFINITY)).isEqualTo("undefined");
    }
}
