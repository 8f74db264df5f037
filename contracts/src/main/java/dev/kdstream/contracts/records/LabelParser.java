package dev.kdstream.contracts.records;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.records.InvalidRecordException.Reason;

/**
 * Parses and validates the bytes of a {@code labels} record, {@code {"id", "label", "ts"}}: the id
 * and the timestamp as on {@code features} ({@link FeatureParser}), the label required and in range.
 * Anything else is refused with a reason, for the dead-letter topic.
 */
public final class LabelParser {

    private final int classes;
    private final int maxBytes;

    /**
     * @param classes  labels must be in 0..classes-1
     * @param maxBytes larger values are refused unread
     */
    public LabelParser(final int classes, final int maxBytes) {
        this.classes = classes;
        this.maxBytes = maxBytes;
    }

    /** @param kafkaTimestamp the record's timestamp, the label's time when the value has no {@code ts} */
    public LabelRecord parse(final byte[] value, final long kafkaTimestamp) {
        if (value == null) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "record has no value (a tombstone?)");
        }
        if (value.length > maxBytes) {
            throw new InvalidRecordException(Reason.OVERSIZE, "record is " + value.length + " bytes, the limit is "
                    + maxBytes);
        }
        final JsonNode root;
        try {
            root = FeatureParser.LENIENT.readTree(value);
        } catch (IOException e) {
            throw new InvalidRecordException(Reason.MALFORMED_JSON, "not valid JSON: "
                    + FeatureParser.firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(Reason.MALFORMED_JSON, "value must be a JSON object");
        }
        final String id = FeatureParser.id(root);
        final Integer label = FeatureParser.label(root, classes);
        if (label == null) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "missing field 'label': a labels record is "
                    + "the label");
        }
        return new LabelRecord(id, label, FeatureParser.ts(root, kafkaTimestamp));
    }
}
