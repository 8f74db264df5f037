package dev.kdstream.launcher;

import dev.kdstream.client.produce.ProduceCommand;
import dev.kdstream.client.query.QueryCommand;
import dev.kdstream.client.query.SoftTargetsCommand;
import dev.kdstream.contracts.service.JavaSerialization;
import dev.kdstream.launcher.broker.BrokerCommand;
import dev.kdstream.launcher.control.ControlCommand;
import dev.kdstream.launcher.dashboard.DashboardCommand;
import dev.kdstream.launcher.dashboard.ReportCommand;
import dev.kdstream.launcher.offline.OfflineCommand;
import dev.kdstream.launcher.secure.SecureCommand;
import dev.kdstream.launcher.stack.StackCommand;
import dev.kdstream.student.StudentCommand;
import dev.kdstream.teacher.TeacherCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./kd} command: one launcher, one subcommand per job. */
@Command(name = "kd", mixinStandardHelpOptions = true, version = "kd-stream 0.1.0",
        description = "kd-stream: streaming inference with online knowledge distillation on Kafka.",
        subcommands = {StackCommand.class, BrokerCommand.class, SecureCommand.class, OfflineCommand.class,
            ProduceCommand.class, TeacherCommand.class, StudentCommand.class, QueryCommand.class,
            SoftTargetsCommand.class, ControlCommand.class, DashboardCommand.class, ReportCommand.class, CommandLine.HelpCommand.class},
        footer = {"  bench    Benchmarks that print figures (docs/benchmarks.md): './kd bench",
            "             --help' lists them.",
            "", "Run './kd COMMAND --help' for a command's options."})
public final class Kd implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(final String[] args) {
        JavaSerialization.refuseEverywhere();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests. */
    public static CommandLine commandLine() {
        return UserErrors.commandLine(new Kd());
    }
}
