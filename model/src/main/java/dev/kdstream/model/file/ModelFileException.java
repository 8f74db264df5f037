package dev.kdstream.model.file;

/** A model file that cannot be used: missing, corrupt, of another kind, or not for this data. */
public final class ModelFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelFileException(final String message) {
        super(message);
    }

    public ModelFileException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
