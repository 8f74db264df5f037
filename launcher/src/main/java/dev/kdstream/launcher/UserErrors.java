package dev.kdstream.launcher;

import java.io.UncheckedIOException;
import java.util.Optional;

import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.data.DataFormatException;
import dev.kdstream.contracts.kafka.KafkaAccess;
import dev.kdstream.model.file.ModelFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can cause (bad data, bad model file, bad option value, credentials or
 * ACLs the broker refuses) into one clear
 * line and exit code 1; anything else is a bug: its stack trace and exit code 3.
 */
public final class UserErrors implements IExecutionExceptionHandler {

    static final int USER_ERROR = 1;
    static final int INTERNAL_ERROR = 3;

    /** A command line for {@code command} whose user errors are one line and exit code 1. */
    public static CommandLine commandLine(final Object command) {
        return new CommandLine(command).setExecutionExceptionHandler(new UserErrors());
    }

    @Override
    public int handleExecutionException(final Exception e, final CommandLine cmd, final ParseResult parsed) {
        // an EnvironmentException already says what to do; a bare refusal is explained here
        final Optional<String> refused = e instanceof EnvironmentException ? Optional.empty()
                : KafkaAccess.explain(e);
        if (refused.isPresent()) {
            cmd.getErr().println(cmd.getCommandName() + ": error: " + refused.get());
            return USER_ERROR;
        }
        if (isUserError(e)) {
            cmd.getErr().println(cmd.getCommandName() + ": error: " + e.getMessage());
            return USER_ERROR;
        }
        e.printStackTrace(cmd.getErr());
        return INTERNAL_ERROR;
    }

    private static boolean isUserError(final Throwable e) {
        return e instanceof DataFormatException || e instanceof ModelFileException
                || e instanceof IllegalArgumentException || e instanceof EnvironmentException
                || e instanceof UncheckedIOException
                || e instanceof java.nio.file.NoSuchFileException;
    }
}
