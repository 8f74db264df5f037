package dev.kdstream.client.query;

import java.nio.charset.StandardCharsets;

import dev.kdstream.contracts.records.Prediction;

/**
 * One record read from the {@code predictions} topic, as stored: the raw value, and the
 * prediction it decodes to (null when it does not, with the reason in {@code error}).
 */
public record StoredPrediction(String key, byte[] value, Prediction prediction, String error, int partition,
                               long offset, long timestamp) {

    /** The raw value as text (the JSON a consumer would see). */
    public String json() {
        return value == null ? "null" : new String(value, StandardCharsets.UTF_8);
    }

    /** When the prediction was served, or the record's timestamp if it could not be read. */
    public long servedAt() {
        return prediction != null ? prediction.servedAt() : timestamp;
    }
}
