package dev.kdstream.bench;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The teacher's soft-target JSON, features printed vs copied from the input, in one run (JMH). */
@Command(name = "soft-target", mixinStandardHelpOptions = true,
        description = "The teacher's output for one record written as JSON: the 20 features printed from "
                + "their doubles vs copied from the input's text, in one run (JMH, mean time per record).",
        footer = {"", "Example:", "  ./kd bench soft-target"})
public final class SoftTargetBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JmhOptions jmh;

    @Override
    public Integer call() throws RunnerException {
        final PrintWriter out = spec.commandLine().getOut();
        final Collection<RunResult> results = jmh.runAnnounced(out, 2, List.of(SoftTargetWriteBenchmark.class), null,
                List.of());
        final double print = JmhOptions.resultOf(results, "printFeatures").getPrimaryResult().getScore();
        final double copy = JmhOptions.resultOf(results, "copyFeatures").getPrimaryResult().getScore();
        out.printf(Locale.ROOT, "%-28s %10s%n", "per soft target, us", "mean");
        out.printf(Locale.ROOT, "%-28s %10.3f%n", "features printed", print);
        out.printf(Locale.ROOT, "%-28s %10.3f%n", "features copied", copy);
        out.printf(Locale.ROOT, "%-28s %9.2fx%n", "printed / copied", print / copy);
        out.flush();
        return 0;
    }
}
