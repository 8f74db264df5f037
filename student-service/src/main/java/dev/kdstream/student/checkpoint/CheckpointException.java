package dev.kdstream.student.checkpoint;

/** A checkpoint that could not be written or read. */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(final String message) {
        super(message);
    }

    public CheckpointException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
