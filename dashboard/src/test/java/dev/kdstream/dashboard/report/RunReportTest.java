package dev.kdstream.dashboard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.scrape.PrometheusText;
import dev.kdstream.dashboard.series.Recording;
import dev.kdstream.dashboard.series.Tick;

class RunReportTest {

    private static List<Tick> run(final String recoveredLow, final String recoveredHigh, final String recovered) {
        final Recording r = new Recording(Layout.standard(), 100);
        for (int i = 1; i <= 3; i++) {
            r.add(i * 1_000L, PrometheusText.parse(
                    "kd_trainer_records_trained_total{model=\"distilled\",service=\"student\"} " + 1000 * i + "\n"
                    + "kd_accuracy{eval=\"holdout\",model=\"distilled\",service=\"student\"} 0.9" + i + "\n"
                    + "kd_knowledge_recovered{eval=\"holdout\",service=\"student\"} " + recovered + "\n"
                    + "kd_knowledge_recovered_lower{eval=\"holdout\",service=\"student\"} " + recoveredLow + "\n"
                    + "kd_knowledge_recovered_upper{eval=\"holdout\",service=\"student\"} " + recoveredHigh + "\n"
                    + "kd_evaluated_records{eval=\"holdout\",service=\"student\"} 1000\n"
                    + "kd_teacher_ensemble{version=\"ensemble-x\",service=\"teacher\"} 1\n").samples());
        }
        return r.after(0);
    }

    @Test
    void learningCurvesAreDrawnAgainstRecordsTrainedAndTheBandEndsDashed() {
        final List<ChartSpec> charts = RunReport.charts(Layout.standard(), run("0.2", "0.9", "0.5"));
        final ChartSpec holdout = charts.stream().filter(c -> c.id().equals("holdout")).findFirst().orElseThrow();
        assertThat(holdout.xLabel()).startsWith("records trained");
        assertThat(holdout.lines()).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("distilled");
            assertThat(l.x()).containsExactly(1000, 2000, 3000);
            assertThat(l.y()).containsExactly(0.91, 0.92, 0.93);
        });
        final ChartSpec recovered = charts.stream().filter(c -> c.id().equals("recovered")).findFirst().orElseThrow();
        assertThat(recovered.lines()).extracting(ChartSpec.Line::name, ChartSpec.Line::dashed).containsExactly(
                org.assertj.core.groups.Tuple.tuple("holdout", false),
                org.assertj.core.groups.Tuple.tuple("holdout 95% high", true),
                org.assertj.core.groups.Tuple.tuple("holdout 95% low", true));
        assertThat(charts).extracting(ChartSpec::id).doesNotContain("latency", "lag").contains("trained");
    }

    @Test
    void figuresSayUndefinedAndUnboundedInsteadOfNaN() {
        final Map<String, String> bounded = RunReport.figures(Layout.standard(), run("0.2", "0.9", "0.5"));
        assertThat(bounded).containsEntry("Knowledge recovered, holdout",
                "50.00 % (95 % interval 20.00 % to 90.00 %), 1,000 records");
        assertThat(bounded).containsEntry("Distilled student, holdout", "93.00 %, 1,000 records");
        assertThat(bounded).containsEntry("Ensemble version", "ensemble-x");
        assertThat(RunReport.figures(Layout.standard(), run("NaN", "NaN", "0.5")))
                .containsEntry("Knowledge recovered, holdout", "50.00 % (95 % interval unbounded), 1,000 records");
        assertThat(RunReport.figures(Layout.standard(), run("NaN", "NaN", "NaN")))
                .containsEntry("Knowledge recovered, holdout", "undefined, 1,000 records");
        assertThat(RunReport.figures(Layout.standard(), run("NaN", "NaN", "NaN")).values())
                .noneMatch(v -> v.contains("NaN") || v.contains("Infinity"));
    }

    @Test
    void writesAPngPerChartAndOnePageThatNeedsNothingElse(@TempDir final Path dir) throws IOException {
        final List<Tick> ticks = run("0.2", "0.9", "0.5");
        final List<ChartSpec> charts = RunReport.charts(Layout.standard(), ticks);
        final List<Path> files = Report.write(dir, "run <1>", "3 scrapes", RunReport.figures(Layout.standard(), ticks),
                charts);
        assertThat(files).hasSize(charts.size() + 1);
        final byte[] png = Files.readAllBytes(dir.resolve("holdout.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        final String page = Files.readString(dir.resolve(Report.PAGE));
        assertThat(page).contains("run &lt;1&gt;").contains("data:image/png;base64,")
                .doesNotContain("src=\"http").doesNotContain("<script");
    }
}
