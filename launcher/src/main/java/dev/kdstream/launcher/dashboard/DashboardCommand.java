package dev.kdstream.launcher.dashboard;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.kdstream.dashboard.Dashboard;
import dev.kdstream.dashboard.scrape.MetricsSource;
import dev.kdstream.launcher.cli.CtrlC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd dashboard}: the live page for services that run as their own processes (compose,
 * {@code ./kd teacher serve} and {@code ./kd student ...}); {@code ./kd stack} serves the same page itself.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Serves the live page on localhost: throughput per stage, lag, model and ensemble versions, the three "
                    + "accuracies, knowledge recovered with its interval, agreement and KL, dead letters, latency. "
                    + "It reads the services' /metrics once a second (as Prometheus would), so it works for "
                    + "services in other processes and containers; './kd stack' serves the same page itself.",
            "With --record it also writes every scrape's figures to a recording that './kd report' turns into "
                    + "charts."},
        footer = {"", "Examples:",
            "  ./kd dashboard",
            "  ./kd dashboard --metrics teacher=http://localhost:9401/metrics --metrics student=http://localhost:9402/metrics",
            "  ./kd dashboard --port 8080 --record run.jsonl"})
public final class DashboardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--metrics", paramLabel = "NAME=URL",
            description = "A service's /metrics (repeatable; default: teacher, student and producer on localhost "
                    + "ports 9401-9403).")
    List<String> metrics;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DashboardSources.DEFAULT_PORT,
            description = "The page's port on localhost (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--record", paramLabel = "FILE",
            description = "Write the figures to this recording for './kd report', replacing a file there "
                    + "(default: none).")
    Path record;

    @Override
    public Integer call() throws Exception {
        final List<MetricsSource> sources;
        try {
            sources = metrics == null ? DashboardSources.local() : metrics.stream().map(MetricsSource::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--metrics: " + e.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        // on Ctrl-C the page takes its last scrape and closes the recording before the JVM halts
        final CtrlC ctrlC = new CtrlC("kd-dashboard", Duration.ofSeconds(10));
        try (Dashboard dashboard = Dashboard.start(sources, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                port), record)) {
            out.println("dashboard: " + dashboard.url() + "  (reading " + sources.stream()
                    .map(s -> s.name() + " " + s.url()).toList() + ")");
            if (record != null) {
                out.println("recording: " + record);
            }
            out.println("Ctrl-C stops it.");
            out.flush();
            ctrlC.await();
        } finally {
            ctrlC.closed();
        }
        return 0;
    }
}
