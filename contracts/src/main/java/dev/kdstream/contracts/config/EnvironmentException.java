package dev.kdstream.contracts.config;

/**
 * What the configuration points at is not there: a broker that cannot be reached, a port already
 * in use. The user's to fix, so every command prints its message in one line instead of a stack
 * trace. An {@link IllegalStateException}, so callers that catch those catch it too.
 */
public class EnvironmentException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public EnvironmentException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
