package dev.kdstream.dashboard.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.scrape.PrometheusText;
import dev.kdstream.dashboard.scrape.Sample;

class RecordingTest {

    private static List<Sample> scrape(final long predicted, final double holdoutDistilled) {
        return PrometheusText.parse("kd_records_total{service=\"student\",stage=\"predicted\"} " + predicted + "\n"
                + "kd_accuracy{eval=\"holdout\",model=\"distilled\",service=\"student\"} " + holdoutDistilled + "\n"
                + "kd_knowledge_recovered{eval=\"holdout\",service=\"student\"} NaN\n").samples();
    }

    @Test
    void eachScrapeIsATickWithRatesAgainstTheOneBefore() {
        final Recording r = new Recording(Layout.standard(), 10);
        final Tick first = r.add(1_000, scrape(100, 0.95));
        final Tick second = r.add(3_000, scrape(2_100, 0.96));
        assertThat(first.values().get("tile/predictions/predicted")).isNaN();
        assertThat(second.values().get("tile/predictions/predicted")).isEqualTo(1_000.0);
        assertThat(second.values().get("throughput/student predicted")).isEqualTo(1_000.0);
        assertThat(second.values().get("tile/holdout-distilled/accuracy")).isEqualTo(0.96);
        assertThat(second.values().get("holdout/distilled")).isEqualTo(0.96);
        assertThat(second.values().get("tile/recovered/recovered")).isNaN();
        assertThat(r.after(0)).extracting(Tick::seq).containsExactly(1L, 2L);
        assertThat(r.after(1)).extracting(Tick::seq).containsExactly(2L);
    }

    @Test
    void keepsTheNewestTicksOnly() {
        final Recording r = new Recording(Layout.standard(), 2);
        for (int i = 0; i < 5; i++) {
            r.add(i * 1_000L, scrape(i, 0.9));
        }
        assertThat(r.after(0)).extracting(Tick::seq).containsExactly(4L, 5L);
    }

    @Test
    void aRunFileHoldsTheTicksWithUndefinedAsNull(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("runs/run.jsonl");
        final Recording r = new Recording(Layout.standard(), 10);
        try (RunFile run = RunFile.create(file)) {
            run.append(r.add(1_000, scrape(100, 0.95)));
            run.append(r.add(2_000, scrape(300, 0.97)));
        }
        assertThat(Files.readString(file)).contains("\"tile/recovered/recovered\":null").doesNotContain("NaN");
        final List<Tick> read = RunFile.read(file);
        assertThat(read).hasSize(2);
        assertThat(read.get(1).values().get("tile/predictions/predicted")).isEqualTo(200.0);
        assertThat(read.get(1).values().get("tile/recovered/recovered")).isNaN();
        assertThat(read.get(1).millis()).isEqualTo(2_000);
    }

    @Test
    void aLastLineCutShortIsDroppedAndABadLineElsewhereIsNamed(@TempDir final Path dir) throws IOException {
        final Path cut = dir.resolve("cut.jsonl");
        Files.writeString(cut, "{\"seq\":1,\"t\":5,\"v\":{\"a\":1.0}}\n{\"seq\":2,\"t\":6,\"v\":{\"a\":");
        assertThat(RunFile.read(cut)).extracting(Tick::values).containsExactly(Map.of("a", 1.0));
        final Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"seq\":1,\"t\":5,\"v\":{\"a\":\"text\"}}\n{\"seq\":2,\"t\":6,\"v\":{}}\n");
        assertThatThrownBy(() -> RunFile.read(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 1").hasMessageContaining("a is neither a number nor null");
    }
}
