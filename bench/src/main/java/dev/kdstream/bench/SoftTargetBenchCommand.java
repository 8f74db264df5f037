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

/** One soft target written and read as JSON vs in the binary form the pipeline uses, in one run (JMH). */
@Command(name = "soft-target", mixinStandardHelpOptions = true,
        description = "One soft target written (the teacher) and read (the trainer) as JSON vs in the pipeline's "
                + "binary form, in one run (JMH, mean time per record).",
        footer = {"", "Example:", "  ./kd bench soft-target"})
public final class SoftTargetBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JmhOptions jmh;

    @Override
    public Integer call() throws RunnerException {
        final PrintWriter out = spec.commandLine().getOut();
        final Collection<RunResult> results = jmh.runAnnounced(out, 4, List.of(SoftTargetCodecBenchmark.class), null,
                List.of());
        out.printf(Locale.ROOT, "%-22s %10s %10s %10s%n", "per soft target, us", "write", "read", "both");
        final double[] json = row(out, results, "JSON", "json");
        final double[] binary = row(out, results, "binary", "binary");
        out.printf(Locale.ROOT, "%-22s %9.1fx %9.1fx %9.1fx%n", "JSON / binary", json[0] / binary[0],
                json[1] / binary[1], (json[0] + json[1]) / (binary[0] + binary[1]));
        out.flush();
        return 0;
    }

    private static double[] row(final PrintWriter out, final Collection<RunResult> results, final String label,
                                final String prefix) {
        final double write = JmhOptions.resultOf(results, prefix + "Write").getPrimaryResult().getScore();
        final double read = JmhOptions.resultOf(results, prefix + "Read").getPrimaryResult().getScore();
        out.printf(Locale.ROOT, "%-22s %10.3f %10.3f %10.3f%n", label, write, read, write + read);
        return new double[] {write, read};
    }
}
