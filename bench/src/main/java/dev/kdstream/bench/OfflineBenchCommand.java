package dev.kdstream.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The offline experiment against the PyTorch reference harness, side by side: each round runs
 * both, one after the other, as fresh processes (start-up included), so the ratio is measured
 * under the same machine load. Absolute times on a shared 2-core machine move by 2x between runs.
 */
@Command(name = "offline", mixinStandardHelpOptions = true,
        description = "One run of './kd offline' vs the PyTorch reference (seed_kd.py) on the same data, "
                + "alternating, as fresh processes; prints each wall time and the ratio.",
        footer = {"", "Needs Debian's python3-torch and python3-sklearn (apt-get install python3-torch python3-sklearn).",
            "Example:", "  ./kd bench offline --rounds 2"})
public final class OfflineBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--reference", paramLabel = "FILE", defaultValue = "../shared/reference/seed_kd.py",
            description = "The PyTorch harness (default: ${DEFAULT-VALUE}).")
    Path reference;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "../shared/data",
            description = "Directory with seed_synthetic_{train,test}.csv (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "/usr/bin/python3",
            description = "Python with torch and sklearn (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--python-threads", paramLabel = "N", defaultValue = "1",
            description = "torch threads for the reference (default: ${DEFAULT-VALUE}, as the reference figures in docs/benchmarks.md).")
    int pythonThreads;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        final PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(reference)) {
            throw new IllegalArgumentException("reference harness not found: " + reference + " (use --reference)");
        }
        final Path train = data.resolve("seed_synthetic_train.csv");
        final Path test = data.resolve("seed_synthetic_test.csv");
        if (!Files.exists(train) || !Files.exists(test)) {
            throw new IllegalArgumentException("seed data not found in " + data + " (use --data)");
        }
        out.println(MachineInfo.describe());
        final List<String> kd = new ArrayList<>(MachineInfo.javaCommand());
        kd.addAll(List.of("dev.kdstream.launcher.Kd", "offline", "-q", "--train", train.toString(),
                "--test", test.toString()));
        final List<String> torch = List.of(python, reference.toString(), "--dataset", "synthetic", "--seed-offset", "0",
                "--threads", Integer.toString(pythonThreads), "--from-csv", data.toString(), "--no-latency");
        out.printf(Locale.ROOT, "%-6s %12s %12s %10s%n", "round", "pytorch s", "kd-stream s", "kd/pytorch");
        final List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            final double t = timed(torch);
            final double k = timed(kd);
            ratios.add(k / t);
            out.printf(Locale.ROOT, "%-6d %12.1f %12.1f %10.2f%n", round, t, k, k / t);
            out.flush();
        }
        ratios.sort(Double::compare);
        out.printf(Locale.ROOT, "median ratio kd-stream / pytorch: %.2f (below 1 means kd-stream is faster)%n",
                ratios.get(ratios.size() / 2));
        return 0;
    }

    private static double timed(final List<String> command) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        final long t0 = System.nanoTime();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            // exitValue() of a process still running would throw instead of saying this
            p.destroyForcibly();
            throw new IllegalStateException("benchmark process took over 30 min: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("benchmark process failed (exit " + p.exitValue() + "): "
                    + String.join(" ", command));
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
