package dev.kdstream.model.file;

/** A model file that cannot be used: missing, corrupt, of another kind, or not for this data. */
public final class ModelFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean refused;

    public ModelFileException(final String message) {
        this(message, null, false);
    }

    public ModelFileException(final String message, final Throwable cause) {
        this(message, cause, false);
    }

    private ModelFileException(final String message, final Throwable cause, final boolean refused) {
        super(message, cause);
        this.refused = refused;
    }

    /** Bytes refused before they were read as a model: too large, or what could run code. */
    static ModelFileException refused(final String message) {
        return new ModelFileException(message, null, true);
    }

    /** Refused by the checks on untrusted bytes, rather than corrupt or of another kind. */
    public boolean isRefused() {
        return refused;
    }
}
