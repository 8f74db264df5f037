package dev.kdstream.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import picocli.CommandLine.Option;

/**
 * How long JMH runs each benchmark, shared by the {@code ./kd bench} subcommands. The defaults
 * give the JIT the 5-8 s of warm-up ND4J code paths need (docs/platform.md, "JIT warm-up").
 */
public final class JmhOptions {

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
            description = "Warm-up iterations per benchmark (default: ${DEFAULT-VALUE}).")
    int warmupIterations;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "4",
            description = "Measured iterations per benchmark (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "Seconds per iteration, warm-up and measured (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--forks", paramLabel = "N", defaultValue = "1",
            description = "Fresh JVMs per benchmark; 0 runs in this JVM (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--jmh-output", description = "Show JMH's own progress output.")
    boolean verbose;

    /**
     * Prints the machine and how long the run will take, then runs the benchmarks (as {@link #run}).
     *
     * @param count how many benchmarks the run holds (methods x parameter values), for the estimate
     */
    Collection<RunResult> runAnnounced(final PrintWriter out, final int count, final List<Class<?>> benchmarks,
                                       final String paramName, final List<String> paramValues)
            throws RunnerException {
        out.println(MachineInfo.describe());
        out.printf(Locale.ROOT, "running %d benchmarks with JMH, about %d s...%n", count, estimatedSeconds(count));
        out.flush();
        return run(benchmarks, paramName, paramValues);
    }

    /** Runs the benchmarks of these classes (and parameters, as name=value lists) with these settings. */
    Collection<RunResult> run(final List<Class<?>> benchmarks, final String paramName, final List<String> paramValues)
            throws RunnerException {
        final ChainedOptionsBuilder options = new OptionsBuilder()
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .forks(forks)
                .threads(1)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
        for (final Class<?> c : benchmarks) {
            // the class's own methods, not another class's whose name starts the same
            options.include("^" + c.getName().replace(".", "\\.") + "\\.");
        }
        if (paramName != null) {
            options.param(paramName, paramValues.toArray(new String[0]));
        }
        return new ArrayList<>(new Runner(options.build()).run());
    }

    /** The result of the benchmark method {@code method} (its simple name); throws if it did not report. */
    static RunResult resultOf(final Collection<RunResult> results, final String method) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("a benchmark did not report: " + results.size()
                        + " results"));
    }

    /** Roughly how long a run of this many benchmarks takes, for the user waiting on it. */
    int estimatedSeconds(final int benchmarks) {
        return benchmarks * ((warmupIterations + iterations) * seconds + (forks > 0 ? 4 : 0));
    }
}
