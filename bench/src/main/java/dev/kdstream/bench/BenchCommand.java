package dev.kdstream.bench;

import dev.kdstream.bench.budget.BudgetBenchCommand;
import dev.kdstream.bench.drift.DetectorsBenchCommand;
import dev.kdstream.bench.drift.DriftBenchCommand;
import dev.kdstream.bench.drift.StaleTeacherBenchCommand;
import dev.kdstream.bench.chaos.ChaosBenchCommand;
import dev.kdstream.bench.e2e.EndToEndBenchCommand;
import dev.kdstream.bench.e2e.FloodBenchCommand;
import dev.kdstream.bench.e2e.MemorySoakBenchCommand;
import dev.kdstream.launcher.UserErrors;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd bench ...}: benchmarks that print figures, each compared side by side in one run. Its
 * own entry point, so that JMH and the benchmarks stay off the services' classpath and image: the
 * {@code kd} script starts this class for {@code ./kd bench}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints the machine and its figures. See docs/benchmarks.md.",
        subcommands = {TeacherBenchCommand.class, TeacherVsPytorchBenchCommand.class, StudentBenchCommand.class,
            TrainerBenchCommand.class, TeacherTrainingBenchCommand.class, EndToEndBenchCommand.class, FloodBenchCommand.class,
            MemorySoakBenchCommand.class, OfflineBenchCommand.class, SoftTargetBenchCommand.class,
            ChaosBenchCommand.class, BudgetBenchCommand.class,
            StaleTeacherBenchCommand.class, DriftBenchCommand.class, DetectorsBenchCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests. */
    public static CommandLine commandLine() {
        return UserErrors.commandLine(new BenchCommand()).setCommandName("kd bench");
    }
}
