package dev.kdstream.dashboard.panel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kdstream.dashboard.scrape.Sample;

class QueryTest {

    private static Sample s(final String name, final double value, final String... labels) {
        final Map<String, String> m = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return new Sample(name, m, value);
    }

    private static Map<String, List<Sample>> scrape(final Sample... samples) {
        final Map<String, List<Sample>> byName = new HashMap<>();
        for (final Sample s : samples) {
            byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        return byName;
    }

    /** The value of {@code line} at the second of two scrapes {@code seconds} apart. */
    private static double value(final Query q, final String line, final Map<String, List<Sample>> before,
                                final Map<String, List<Sample>> now, final double seconds) {
        return q.value(q.read(now).get(line), before == null ? null : q.read(before).get(line), seconds);
    }

    @Test
    void aGaugeSumsTheMatchingSeriesPerValueOfItsByLabels() {
        final Query q = Query.gauge("kd_records_total", "{service} {stage}", "kind", "x").by("service", "stage");
        final Map<String, List<Sample>> now = scrape(
                s("kd_records_total", 2, "kind", "x", "service", "teacher", "stage", "annotated", "partition", "0"),
                s("kd_records_total", 3, "kind", "x", "service", "teacher", "stage", "annotated", "partition", "1"),
                s("kd_records_total", 7, "kind", "x", "service", "student", "stage", "predicted"),
                s("kd_records_total", 100, "kind", "y", "service", "student", "stage", "predicted"),
                s("kd_other", 1000, "kind", "x", "service", "student", "stage", "predicted"));
        assertThat(q.read(now)).containsOnlyKeys("teacher annotated", "student predicted");
        assertThat(value(q, "teacher annotated", null, now, 1)).isEqualTo(5);
        assertThat(value(q, "student predicted", null, now, 1)).isEqualTo(7);
    }

    @Test
    void aMaxGaugeIsTheLargestSeriesNotTheirSum() {
        final Query q = Query.gauge("kd_model_version", "serving").max();
        final Map<String, List<Sample>> now = scrape(s("kd_model_version", 5, "instance", "a"),
                s("kd_model_version", 5, "instance", "b"));
        assertThat(value(q, "serving", null, now, 1)).as("two replicas at v5").isEqualTo(5);
    }

    @Test
    void aRateIsTheIncreasePerSecondAndUndefinedAtTheFirstScrape() {
        final Query q = Query.rate("c_total", "c");
        assertThat(value(q, "c", null, scrape(s("c_total", 100)), 2)).isNaN();
        assertThat(value(q, "c", scrape(s("c_total", 100)), scrape(s("c_total", 1100)), 2)).isEqualTo(500);
    }

    @Test
    void aRateTakesEachSeriesIncreaseBeforeSummingAsPrometheusDoes() {
        final Query q = Query.rate("c_total", "c");
        // a restarted replica counts from 0: its 40 new records, plus the other's 100
        assertThat(value(q, "c", scrape(s("c_total", 1100, "i", "a"), s("c_total", 500, "i", "b")),
                scrape(s("c_total", 40, "i", "a"), s("c_total", 600, "i", "b")), 1)).isEqualTo(140);
        // a replica missing from one scrape adds nothing, and at the next only what it did since it was last seen
        final Map<String, List<Sample>> both = scrape(s("c_total", 1000, "i", "a"), s("c_total", 5000, "i", "b"));
        final Map<String, List<Sample>> oneMissing = scrape(s("c_total", 1100, "i", "a"));
        assertThat(value(q, "c", both, oneMissing, 1)).isEqualTo(100);
        assertThat(value(q, "c", oneMissing, scrape(s("c_total", 1200, "i", "a"), s("c_total", 5100, "i", "b")), 1))
                .as("not b's whole 5,100").isEqualTo(100);
    }

    @Test
    void aMeanOfIncreaseIsTheTimersMeanOverTheEventsBetweenTwoScrapes() {
        final Query q = Query.meanOfIncrease("lat_seconds", "mean");
        final Map<String, List<Sample>> before = scrape(s("lat_seconds_sum", 10), s("lat_seconds_count", 100));
        final Map<String, List<Sample>> now = scrape(s("lat_seconds_sum", 16), s("lat_seconds_count", 400));
        assertThat(value(q, "mean", before, now, 1)).isCloseTo(0.02, within(1e-12));
        assertThat(value(q, "mean", before, before, 1)).as("no event between").isNaN();
    }

    @Test
    void aGaugeShownWhileACounterIncreasesIsUndefinedWhileItStands() {
        final Query q = Query.gauge("lat_seconds", "p99", "quantile", "0.99").whileIncreasing("lat_seconds_count");
        final Map<String, List<Sample>> first = scrape(s("lat_seconds", 0.5, "quantile", "0.99"),
                s("lat_seconds_count", 10));
        final Map<String, List<Sample>> moving = scrape(s("lat_seconds", 0.4, "quantile", "0.99"),
                s("lat_seconds_count", 20));
        final Map<String, List<Sample>> idle = scrape(s("lat_seconds", 0.0, "quantile", "0.99"),
                s("lat_seconds_count", 20));
        assertThat(value(q, "p99", null, first, 1)).isNaN();
        assertThat(value(q, "p99", first, moving, 1)).isEqualTo(0.4);
        assertThat(value(q, "p99", moving, idle, 1)).as("an emptied window's 0 is not a latency").isNaN();
    }

    @Test
    void theStandardLayoutNamesItsMetricsAsPrometheusDoes() {
        assertThat(PrometheusNames.counter("kd.records")).isEqualTo("kd_records_total");
        assertThat(PrometheusNames.timer("kd.prediction.latency")).isEqualTo("kd_prediction_latency_seconds");
        assertThat(Layout.standard().panels()).extracting(Panel::id).doesNotHaveDuplicates();
        assertThat(Layout.standard().tiles()).extracting(Tile::id).doesNotHaveDuplicates();
    }

    @Test
    void unitsNeverPrintNaN() {
        assertThat(Unit.PERCENT.format(0.9672)).isEqualTo("96.72 %");
        assertThat(Unit.PERCENT.format(Double.NaN)).isEqualTo("undefined");
        assertThat(Unit.SECONDS.format(0.0123)).isEqualTo("12.3 ms");
        assertThat(Unit.PER_SECOND.format(12345.6)).isEqualTo("12,346/s");
        assertThat(Unit.PER_SECOND.format(0.4)).as("a trickle is not 0").isEqualTo("0.4/s");
        assertThat(Unit.NUMBER.format(0.0055322)).isEqualTo("0.00553");
        assertThat(Unit.NUMBER.format(Double.POSITIVE_INFINITY)).isEqualTo("undefined");
    }
}
