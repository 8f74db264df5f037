package dev.kdstream.contracts.records;

import java.util.Locale;

/** Why a record cannot be processed; the reason becomes a dead-letter header and a metric tag. */
public final class InvalidRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Low-cardinality reasons (metric tags), each with a lowercase tag. */
    public enum Reason {
        MALFORMED_JSON, MALFORMED_BINARY, MISSING_FIELD, BAD_FIELD, WRONG_FEATURE_COUNT, NON_FINITE, LABEL_OUT_OF_RANGE,
        BAD_SPLIT, OVERSIZE,
        /** A late label whose record never came within the label window. */
        UNKNOWN_ID,
        /** A late label for a record whose label window had closed. */
        EXPIRED,
        /** A second label for a record that already has one. */
        DUPLICATE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public InvalidRecordException(final Reason reason, final String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
