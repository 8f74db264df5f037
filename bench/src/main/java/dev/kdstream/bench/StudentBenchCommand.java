package dev.kdstream.bench;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.util.Statistics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Student serving latency for one record: ServedStudent against DL4J's output(), in one run (JMH). */
@Command(name = "student", mixinStandardHelpOptions = true,
        description = "Student inference on the serving path (20-64-32-2, one record, raw features in): "
                + "latency median and p99 of ServedStudent.logits vs DL4J output() (StudentModel.logits), "
                + "in one run (JMH, sampled per call).",
        footer = {"", "Example:", "  ./kd bench student"})
public final class StudentBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JmhOptions jmh;

    @Override
    public Integer call() throws RunnerException {
        final PrintWriter out = spec.commandLine().getOut();
        final Collection<RunResult> results = jmh.runAnnounced(out, 2, List.of(StudentServingBenchmark.class), null,
                List.of());
        final Statistics served = JmhOptions.resultOf(results, "servedStudent").getPrimaryResult().getStatistics();
        final Statistics dl4j = JmhOptions.resultOf(results, "dl4jOutput").getPrimaryResult().getStatistics();
        out.printf(Locale.ROOT, "%-22s %12s %12s %12s %14s%n", "per record, us", "median", "p99", "p99.9", "samples");
        row(out, "ServedStudent.logits", served);
        row(out, "DL4J output()", dl4j);
        out.printf(Locale.ROOT, "%-22s %11.0fx %11.0fx%n", "dl4j / served", dl4j.getPercentile(50) / served.getPercentile(50),
                dl4j.getPercentile(99) / served.getPercentile(99));
        out.flush();
        return 0;
    }

    private static void row(final PrintWriter out, final String name, final Statistics s) {
        out.printf(Locale.ROOT, "%-22s %12.3f %12.3f %12.3f %,14d%n", name, s.getPercentile(50), s.getPercentile(99),
                s.getPercentile(99.9), s.getN());
    }
}
