package dev.kdstream.launcher.dashboard;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.report.ChartSpec;
import dev.kdstream.dashboard.report.Report;
import dev.kdstream.dashboard.report.RunReport;
import dev.kdstream.dashboard.series.RunFile;
import dev.kdstream.dashboard.series.Tick;
import dev.kdstream.launcher.stack.StackCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./kd report}: a recorded run's learning curves as PNGs and one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Writes a run's learning curves (accuracy of ensemble, distilled and baseline against records trained, "
                    + "knowledge recovered with its 95 %% interval, agreement, KL) and its flow (throughput, lag, "
                    + "latency, dead letters) as PNG charts and one self-contained HTML page.",
            "A run is the recording './kd stack' writes to <data-dir>/runs/ (or './kd dashboard --record')."},
        footer = {"", "Examples:",
            "  ./kd report                        # the newest run in .kd/runs",
            "  ./kd report .kd/runs/2026-12-06T23-40-00.jsonl --out docs/report"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "A recording (default: the newest in <data-dir>/runs).")
    Path run;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = StackCommand.DEFAULT_DATA_DIR,
            description = "Where './kd stack' keeps its runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the charts and report.html (default: the recording's name without .jsonl, "
                    + "plus -report).")
    Path out;

    @Override
    public Integer call() throws IOException {
        final Path file = run != null ? run : newestRun(StackCommand.runsDir(dataDir));
        final List<Tick> ticks;
        try {
            ticks = RunFile.read(file);
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "no recording at " + file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (ticks.isEmpty()) {
            throw new ParameterException(spec.commandLine(), file + " holds no figures yet: the run had not "
                    + "scraped its services once");
        }
        final Layout layout = Layout.standard();
        final List<ChartSpec> charts = RunReport.charts(layout, ticks);
        final Path dir = out != null ? out : file.resolveSibling(file.getFileName().toString()
                .replaceFirst("\\.jsonl$", "") + "-report");
        final List<Path> written = Report.write(dir, "kd-stream run " + file.getFileName(),
                ticks.size() + " scrapes from " + Instant.ofEpochMilli(ticks.get(0).millis()) + " to "
                        + Instant.ofEpochMilli(ticks.get(ticks.size() - 1).millis()),
                RunReport.figures(layout, ticks), charts);
        final PrintWriter console = spec.commandLine().getOut();
        console.println("report: " + written.get(written.size() - 1) + " (" + charts.size() + " charts in " + dir + ")");
        console.flush();
        return 0;
    }

    private Path newestRun(final Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            throw new ParameterException(spec.commandLine(), "no runs in " + runs + ": './kd stack' records one "
                    + "there, or give a recording's path");
        }
        try (Stream<Path> files = Files.list(runs)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), "no recording (*.jsonl) in " + runs));
        }
    }
}
