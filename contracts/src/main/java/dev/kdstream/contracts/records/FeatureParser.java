package dev.kdstream.contracts.records;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.kdstream.contracts.records.InvalidRecordException.Reason;

/**
 * Parses and validates the bytes of a {@code features} record. Anything that would make the
 * models misbehave is refused with a reason: the caller routes it to the dead-letter topic.
 * Only {@code id} and {@code features} are required.
 */
public final class FeatureParser {

    /** NaN and Infinity literals parse (Python's json.dumps writes them) so they can be named. */
    static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final int width;
    private final int classes;
    private final int maxBytes;

    /**
     * @param width    features per record the models take
     * @param classes  labels must be in 0..classes-1
     * @param maxBytes larger values are refused unread
     */
    public FeatureParser(final int width, final int classes, final int maxBytes) {
        this.width = width;
        this.classes = classes;
        this.maxBytes = maxBytes;
    }

    /**
     * @param kafkaTimestamp the record's timestamp, the event time when the value has no {@code ts}
     */
    public FeatureRecord parse(final byte[] value, final long kafkaTimestamp) {
        if (value == null) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "record has no value (a tombstone?)");
        }
        if (value.length > maxBytes) {
            throw new InvalidRecordException(Reason.OVERSIZE, "record is " + value.length + " bytes, the limit is "
                    + maxBytes);
        }
        final FeatureRecord valid = parseValid(value, kafkaTimestamp);
        return valid != null ? valid : parseTree(value, kafkaTimestamp);
    }

    /** The tree path: decides every record the fast path leaves, with the reason when it is invalid. */
    FeatureRecord parseTree(final byte[] value, final long kafkaTimestamp) {
        final JsonNode root;
        try {
            root = LENIENT.readTree(value);
        } catch (IOException e) {
            throw new InvalidRecordException(Reason.MALFORMED_JSON, "not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(Reason.MALFORMED_JSON, "value must be a JSON object");
        }
        return new FeatureRecord(id(root), ts(root, kafkaTimestamp), features(root), label(root), split(root));
    }

    /**
     * The fast path, for the records that are valid in the plainest way: one streaming pass into
     * primitives, without the tree of nodes (20 boxed doubles and their containers per record, on
     * the teacher's and the server's hot paths). Returns null as soon as anything is unusual
     * (an unexpected type, a value out of range, malformed JSON...): the tree path below then
     * decides, with its messages, so both paths accept exactly the same records.
     */
    FeatureRecord parseValid(final byte[] value, final long kafkaTimestamp) {
        try (JsonParser p = LENIENT.getFactory().createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String id = null;
            long ts = kafkaTimestamp;
            double[] features = null;
            Integer label = null;
            String split = FeatureRecord.TRAIN;
            String field;
            while ((field = p.nextFieldName()) != null) {
                final JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0
                                && p.getTextLength() <= FeatureRecord.MAX_ID_CHARS) {
                            id = p.getText();
                        } else if (t == JsonToken.VALUE_NUMBER_INT && isLong(p)) {
                            id = Long.toString(p.getLongValue());
                        } else {
                            return null;
                        }
                    }
                    case "ts" -> {
                        if (t == JsonToken.VALUE_NUMBER_INT && isLong(p) && p.getLongValue() >= 0) {
                            ts = p.getLongValue();
                        } else if (t == JsonToken.VALUE_NULL) {
                            ts = kafkaTimestamp;
                        } else {
                            return null;
                        }
                    }
                    case "features" -> {
                        features = t == JsonToken.START_ARRAY ? finiteNumbers(p) : null;
                        if (features == null) {
                            return null;
                        }
                    }
                    case "label" -> {
                        if (t == JsonToken.VALUE_NULL) {
                            label = null;
                        } else if (t == JsonToken.VALUE_NUMBER_INT && isLong(p) && p.getLongValue() >= 0
                                && p.getLongValue() < classes) {
                            label = (int) p.getLongValue();
                        } else {
                            return null;
                        }
                    }
                    case "split" -> {
                        final String text = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        if (t == JsonToken.VALUE_NULL) {
                            split = FeatureRecord.TRAIN;
                        } else if (FeatureRecord.isKnownSplit(text)) {
                            split = text;
                        } else {
                            return null;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return id == null || features == null ? null : new FeatureRecord(id, ts, features, label, split);
        } catch (IOException e) {
            return null;
        }
    }

    /** The array's elements as doubles if they are exactly {@code width} finite numbers, else null. */
    private double[] finiteNumbers(final JsonParser p) throws IOException {
        final double[] x = new double[width];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT || n == width) {
                return null;
            }
            x[n] = p.getDoubleValue();
            if (!finiteInFloat(x[n])) {
                return null;
            }
            n++;
        }
        return n == width ? x : null;
    }

    /** Finite as the models see it: they compute in float, where 1e39 is already infinite. */
    public static boolean finiteInFloat(final double x) {
        return Double.isFinite(x) && Float.isFinite((float) x);
    }

    private static boolean isLong(final JsonParser p) throws IOException {
        final JsonParser.NumberType type = p.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    static String id(final JsonNode root) {
        final JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "missing field 'id'");
        }
        if (!(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
            throw new InvalidRecordException(Reason.BAD_FIELD, "'id' must be a non-empty string");
        }
        if (id.asText().length() > FeatureRecord.MAX_ID_CHARS) {
            throw new InvalidRecordException(Reason.BAD_FIELD, "'id' is " + id.asText().length()
                    + " characters, the limit is " + FeatureRecord.MAX_ID_CHARS);
        }
        return id.asText();
    }

    static long ts(final JsonNode root, final long kafkaTimestamp) {
        final JsonNode ts = root.get("ts");
        if (ts == null || ts.isNull()) {
            return kafkaTimestamp;
        }
        if (!ts.isIntegralNumber() || !ts.canConvertToLong() || ts.asLong() < 0) {
            throw new InvalidRecordException(Reason.BAD_FIELD, "'ts' must be epoch milliseconds, got " + ts);
        }
        return ts.asLong();
    }

    private double[] features(final JsonNode root) {
        final JsonNode array = root.get("features");
        if (array == null || array.isNull()) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "missing field 'features'");
        }
        if (!array.isArray()) {
            throw new InvalidRecordException(Reason.BAD_FIELD, "'features' must be an array of numbers");
        }
        if (array.size() != width) {
            throw new InvalidRecordException(Reason.WRONG_FEATURE_COUNT, "expected " + width + " features, got "
                    + array.size());
        }
        final double[] x = new double[width];
        for (int i = 0; i < width; i++) {
            final JsonNode v = array.get(i);
            if (!v.isNumber()) {
                throw new InvalidRecordException(Reason.BAD_FIELD, "features[" + i + "] is not a number: " + v);
            }
            x[i] = v.asDouble();
            if (!finiteInFloat(x[i])) {
                throw new InvalidRecordException(Reason.NON_FINITE, "features[" + i + "] is " + v.asText()
                        + (Double.isFinite(x[i]) ? ", beyond the range of float, which the models compute in" : ""));
            }
        }
        return x;
    }

    private Integer label(final JsonNode root) {
        return label(root, classes);
    }

    /** The record's class in 0..classes-1, or null for none. */
    static Integer label(final JsonNode root, final int classes) {
        final JsonNode label = root.get("label");
        if (label == null || label.isNull()) {
            return null;
        }
        if (!label.isIntegralNumber()) {
            throw new InvalidRecordException(Reason.BAD_FIELD, "'label' must be a class index or null, got " + label);
        }
        // compared as the exact integer: asLong() would wrap 2^64 + 1 to 1
        final long k = label.canConvertToLong() ? label.asLong() : -1;
        if (k < 0 || k >= classes) {
            throw new InvalidRecordException(Reason.LABEL_OUT_OF_RANGE, "label " + label + " is outside 0.."
                    + (classes - 1));
        }
        return (int) k;
    }

    private static String split(final JsonNode root) {
        final JsonNode split = root.get("split");
        if (split == null || split.isNull()) {
            return FeatureRecord.TRAIN;
        }
        final String s = split.asText();
        if (!split.isTextual() || !FeatureRecord.isKnownSplit(s)) {
            throw new InvalidRecordException(Reason.BAD_SPLIT, "'split' must be \"train\" or \"holdout\", got " + split);
        }
        return s;
    }

    static String firstLine(final String message) {
        final String m = message == null ? "" : message;
        final int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
