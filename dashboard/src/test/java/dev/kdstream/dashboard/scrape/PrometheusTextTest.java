package dev.kdstream.dashboard.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void readsSamplesLabelsAndSpecialValues() {
        final PrometheusText.Parsed parsed = PrometheusText.parse("""
                # HELP kd_accuracy Accuracy
                # TYPE kd_accuracy gauge
                kd_accuracy{eval="holdout",model="distilled",service="student"} 0.965
                kd_knowledge_recovered_lower{eval="holdout",service="student"} NaN
                kd_producer_ack_latency_seconds_bucket{service="producer",le="+Inf"} 100000
                kd_up 1.0E-4 1700000000000
                weird_total{path="a \\"quoted\\" \\\\ back\\nslash"} -Inf
                """);
        assertThat(parsed.unreadableLines()).isZero();
        assertThat(parsed.samples()).hasSize(5);
        final Sample accuracy = parsed.samples().get(0);
        assertThat(accuracy.name()).isEqualTo("kd_accuracy");
        assertThat(accuracy.labels()).isEqualTo(Map.of("eval", "holdout", "model", "distilled", "service", "student"));
        assertThat(accuracy.value()).isEqualTo(0.965);
        assertThat(parsed.samples().get(1).value()).isNaN();
        assertThat(parsed.samples().get(2).label("le")).isEqualTo("+Inf");
        assertThat(parsed.samples().get(3).value()).isEqualTo(1e-4);
        assertThat(parsed.samples().get(3).labels()).isEmpty();
        assertThat(parsed.samples().get(4).label("path")).isEqualTo("a \"quoted\" \\ back\nslash");
        assertThat(parsed.samples().get(4).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void countsLinesItCannotReadAndKeepsTheRest() {
        final PrometheusText.Parsed parsed = PrometheusText.parse("""
                kd_ok 1
                kd_no_value
                kd_bad{model="unterminated} 1
                {model="x"} 2
                kd_words{a="b"} lots
                kd_ok_too{a="b",} 3
                """);
        assertThat(parsed.samples()).extracting(Sample::name).containsExactly("kd_ok", "kd_ok_too");
        assertThat(parsed.unreadableLines()).isEqualTo(4);
    }
}
