package dev.kdstream.contracts.records;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A record on the {@code features} topic: raw (unscaled) features, an optional label, and the
 * split. Key: the record id.
 *
 * @param ts    event time, epoch ms (defaults to the Kafka record timestamp)
 * @param label class index, or null for unlabelled traffic
 * @param split {@link #TRAIN} or {@link #HOLDOUT}; holdout records are never trained on
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record FeatureRecord(String id, long ts, double[] features, Integer label, String split) {

    public static final String TRAIN = "train";
    public static final String HOLDOUT = "holdout";

    /** Whether {@code split} is one of the two the pipeline knows. */
    public static boolean isKnownSplit(final String split) {
        return TRAIN.equals(split) || HOLDOUT.equals(split);
    }

    /**
     * The longest id accepted, in characters: an id is a record's Kafka key and is copied into every
     * soft target and prediction, and no real id comes near it.
     */
    public static final int MAX_ID_CHARS = 10_000;

    public boolean labelled() {
        return label != null;
    }

    public boolean holdout() {
        return HOLDOUT.equals(split);
    }
}
