package dev.kdstream.bench.chaos;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./kd bench chaos}: the fault-injection run across separate OS processes (see {@link ChaosRun}). */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a broker (./kd broker), teacher instances, the trainer and serving replicas, each its own OS "
                    + "process, on topics with 4 partitions; streams records (2 %% invalid, some unlabelled, some "
                    + "holdout) while it kills each kind of service with SIGKILL and restarts the broker (SIGTERM "
                    + "and SIGKILL in turn); then reads every topic read_committed and checks: exactly one soft "
                    + "target per valid record and none for invalid ones, exactly one dead letter per invalid "
                    + "record, a prediction for every valid one, checkpoint versions strictly increasing and at "
                    + "most one interval apart, no transaction left open, and every recovery within the bound.",
            "Exit code 0 when every check holds, 1 otherwise."},
        footer = {"", "Examples:",
            "  ./kd bench chaos",
            "  ./kd bench chaos --records 20000 --teacher-kills 2 --trainer-kills 2 --server-kills 2 --broker-restarts 2"})
public final class ChaosBenchCommand implements Callable<Integer> {

    /** Seconds from a restarted process's start to the stack processing again, on a loaded 2-core machine. */
    static final double DEFAULT_BOUND = 30;

    @Spec
    CommandSpec spec;

    @Option(names = "--records", defaultValue = "100000", description = "Records to stream (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--rate", defaultValue = "200", description = "Records per second; low enough that input flows until the last fault (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--teacher-instances", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int teacherInstances;

    @Option(names = "--server-replicas", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int serverReplicas;

    @Option(names = "--teacher-kills", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
    int teacherKills;

    @Option(names = "--trainer-kills", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
    int trainerKills;

    @Option(names = "--server-kills", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
    int serverKills;

    @Option(names = "--broker-restarts", defaultValue = "3",
            description = "SIGKILL, SIGTERM, SIGKILL, ... (default: ${DEFAULT-VALUE}).")
    int brokerRestarts;

    @Option(names = "--ensemble-teachers", defaultValue = "12",
            description = "Teachers in the ensemble trained first (default: ${DEFAULT-VALUE}).")
    int ensembleTeachers;

    @Option(names = "--recovery-bound", defaultValue = "" + DEFAULT_BOUND,
            description = "Seconds from a restarted process's start to the stack processing again (default: "
                    + "${DEFAULT-VALUE}; 15 s more after a broker SIGKILL: see docs/platform.md).")
    double recoveryBound;

    @Option(names = "--checkpoint-every", defaultValue = "2000",
            description = "checkpoint.every.records of the trainer (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--teacher-budget", paramLabel = "B", defaultValue = "1.0",
            description = "The teachers' budget, uniform sampler (default: ${DEFAULT-VALUE}): which unlabelled "
                    + "training records must have no soft target is then known from their ids, and checked too.")
    double teacherBudget;

    @Option(names = "--log-level", defaultValue = "warn",
            description = "The broker's and the services' log level (default: ${DEFAULT-VALUE}; info shows "
                    + "Kafka Streams' and the transaction coordinator's steps).")
    String logLevel;

    @Option(names = "--work-dir", description = "Logs, broker data and state; new or empty (default: a new "
            + "temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        if (workDir != null && Files.isDirectory(workDir)) {
            try (Stream<Path> entries = Files.list(workDir)) {
                if (entries.findAny().isPresent()) {
                    // an earlier run's broker data would be read as this run's records
                    throw new ParameterException(spec.commandLine(), "--work-dir " + workDir + " is not empty: a run "
                            + "starts from a new broker; delete the directory or name another");
                }
            }
        }
        final Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("kd-chaos-");
        out.println("kd bench chaos: work directory (logs) " + work);
        final ChaosOptions options = new ChaosOptions(records, rate, teacherInstances, serverReplicas, teacherKills,
                trainerKills, serverKills, brokerRestarts, ensembleTeachers, recoveryBound, checkpointEvery, teacherBudget,
                logLevel, work);
        final ChaosRun.Report report = new ChaosRun(options, out).run(repoRoot());
        print(out, report);
        return report.verdict().problems().isEmpty() ? 0 : 1;
    }

    static void print(final PrintWriter out, final ChaosRun.Report r) {
        final ChaosVerdict v = r.verdict();
        out.printf(Locale.ROOT, "%nrecords: %,d produced (%,d valid, %,d invalid), %d sends failed; %.0f s in all%n",
                r.produced(), v.valid().size(), v.invalid().size(), r.failedSends(), r.seconds());
        out.printf(Locale.ROOT, "faults: %d (%s)%n", v.recoveries().size(), String.join(", ",
                v.recoveries().stream().map(ChaosVerdict.Recovery::fault).distinct()
                        .map(f -> f + " x" + v.recoveries().stream().filter(x -> x.fault().equals(f)).count())
                        .toList()));
        final List<Double> seconds = v.recoveries().stream().map(ChaosVerdict.Recovery::seconds).sorted().toList();
        if (!seconds.isEmpty()) {
            out.printf(Locale.ROOT, "recovery (restart -> processing again): median %.1f s, max %.1f s; each within "
                    + "its bound: %s%n", seconds.get(seconds.size() / 2), seconds.get(seconds.size() - 1),
                    v.recoveries().stream().map(x -> String.format(Locale.ROOT, "%s %.1f/%.0f s", x.fault(),
                            x.seconds(), x.bound())).collect(Collectors.joining(", ")));
        }
        out.printf(Locale.ROOT, "soft targets: lost %d, duplicated %d, for invalid records %d", v.lostSoftTargets(),
                v.duplicatedSoftTargets(), v.softTargetsForInvalid());
        out.printf(Locale.ROOT, v.leftOut().isEmpty() ? "%n" : "; %,d unlabelled records the teacher budget left out, "
                + "%d of them with a soft target%n", v.leftOut().size(), v.softTargetsForLeftOut());
        out.printf(Locale.ROOT, "dead letters: lost %d, duplicated %d, for valid records %d%n", v.lostDeadLetters(),
                v.duplicatedDeadLetters(), v.deadLettersForValid());
        out.printf(Locale.ROOT, "predictions: unanswered %d, repeated %,d (at least once)%n", v.unpredicted(),
                v.repeatedPredictions());
        out.printf(Locale.ROOT, "checkpoints: %d seen, at most %,d records apart; read again after trainer kills "
                + "(from its status line, a lower bound): %s%n", v.checkpoints().size(), v.largestCheckpointGap(),
                r.rereadEstimates());
        out.printf(Locale.ROOT, "transactions left open on soft-targets: %d%n", v.openTransactions());
        final List<String> problems = v.problems();
        out.println(problems.isEmpty() ? "ALL CHECKS PASSED" : "FAILED:\n  " + String.join("\n  ", problems));
        out.flush();
    }

    /** The repository this class was built in: the launcher's build beside it runs the services. */
    static Path repoRoot() throws Exception {
        // bench/target/classes or bench/target/bench-*.jar
        final Path built = Path.of(ChaosBenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return built.getParent().getParent().getParent().toAbsolutePath();
    }
}
