package dev.kdstream.launcher;

import dev.kdstream.launcher.offline.OfflineCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./kd} command: one launcher, one subcommand per job. */
@Command(name = "kd", mixinStandardHelpOptions = true, version = "kd-stream 0.1.0",
        description = "kd-stream: streaming inference with online knowledge distillation on Kafka.",
        subcommands = {OfflineCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run './kd COMMAND --help' for a command's options."})
public final class Kd implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Kd()).setExecutionExceptionHandler(new UserErrors());
    }
}
