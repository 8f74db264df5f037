package dev.kdstream.model.drift;

/**
 * Watches a stream of numbers for a change in their mean. Not thread-safe: one per stream.
 */
public interface DriftDetector {

    /**
     * Takes the next value.
     *
     * @return true when this value completes the evidence of a change (the detector has then
     *         forgotten the values before it, and starts afresh on what follows)
     */
    boolean update(double value);

    /** The mean of the values the detector currently holds as one regime (NaN before any). */
    double estimation();

    /** Values taken since the detector started. */
    long seen();
}
