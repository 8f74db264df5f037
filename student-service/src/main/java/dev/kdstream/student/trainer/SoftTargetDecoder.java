package dev.kdstream.student.trainer;

import java.io.IOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.kdstream.common.json.Json;
import dev.kdstream.common.records.InvalidRecordException;
import dev.kdstream.common.records.InvalidRecordException.Reason;
import dev.kdstream.common.records.SoftTargetRecord;

/**
 * Decodes and checks the bytes of a {@code soft-targets} record. The trainer reads the topic as
 * raw bytes and decodes here, so a record it cannot use is skipped with a reason instead of
 * failing {@code poll()} (a deserializer exception there would stop the consumer at that offset).
 *
 * <p>Records as the teacher writes them are read in one streaming pass ({@link #readPlain});
 * anything else goes through Jackson's record deserializer, which decides what is valid and says
 * why not. Jackson's per-field machinery was a third of the decoding in the trainer's profile
 * (JFR, {@code ./kd bench e2e}), the numbers the rest.
 */
public final class SoftTargetDecoder {

    private static final int MAX_ARRAY = 1024;

    private final int width;
    private final int classes;

    /**
     * @param width   features per record the students take
     * @param classes length of the teacher logits and soft targets; labels in 0..classes-1
     */
    public SoftTargetDecoder(final int width, final int classes) {
        this.width = width;
        this.classes = classes;
    }

    public SoftTargetRecord decode(final byte[] value) {
        if (value == null) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "record has no value (a tombstone?)");
        }
        SoftTargetRecord r;
        try {
            r = readPlain(value);
            if (r == null) {
                r = Json.MAPPER.readValue(value, SoftTargetRecord.class);
            }
        } catch (IOException e) {
            throw new InvalidRecordException(Reason.MALFORMED_JSON, "not a soft-target record: "
                    + firstLine(e.getMessage()));
        }
        if (r == null) {
            throw new InvalidRecordException(Reason.MALFORMED_JSON, "value is JSON null");
        }
        check(r.features(), width, "features", Reason.WRONG_FEATURE_COUNT);
        check(r.teacherLogits(), classes, "teacherLogits", Reason.BAD_FIELD);
        check(r.softTargets(), classes, "softTargets", Reason.BAD_FIELD);
        if (r.label() != null && (r.label() < 0 || r.label() >= classes)) {
            throw new InvalidRecordException(Reason.LABEL_OUT_OF_RANGE, "label " + r.label() + " is not in 0.."
                    + (classes - 1));
        }
        return r;
    }

    /**
     * The record if its value is a JSON object whose known fields each appear at most once with
     * the plainest type (a string or null, an integer, an array of numbers or null, a number), as
     * Jackson's deserializer reads it: missing fields are null, 0 and 0.0 there too. Null for
     * anything else, malformed JSON included: the deserializer then decides.
     */
    private static SoftTargetRecord readPlain(final byte[] value) {
        try (JsonParser p = Json.MAPPER.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String id = null;
            long ts = 0;
            double[] features = null;
            Integer label = null;
            String split = null;
            double[] teacherLogits = null;
            double[] softTargets = null;
            double temperature = 0;
            String ensembleVersion = null;
            int seen = 0;
            String field;
            while ((field = p.nextFieldName()) != null) {
                final JsonToken t = p.nextToken();
                final int index = componentIndex(field);
                if (index < 0) {
                    p.skipChildren();
                    continue;
                }
                if ((seen & 1 << index) != 0) {
                    return null;
                }
                seen |= 1 << index;
                switch (index) {
                    case 0 -> {
                        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                            return null;
                        }
                        id = p.getValueAsString();
                    }
                    case 1 -> {
                        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return null;
                        }
                        ts = p.getLongValue();
                    }
                    case 3 -> {
                        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                            label = p.getIntValue();
                        } else if (t != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case 4, 8 -> {
                        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                            return null;
                        }
                        if (index == 4) {
                            split = p.getValueAsString();
                        } else {
                            ensembleVersion = p.getValueAsString();
                        }
                    }
                    case 7 -> {
                        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                            return null;
                        }
                        temperature = p.getDoubleValue();
                    }
                    default -> {
                        // 2, 5, 6: the arrays
                        final double[] values;
                        if (t == JsonToken.VALUE_NULL) {
                            values = null;
                        } else if (t != JsonToken.START_ARRAY || (values = numbers(p)) == null) {
                            return null;
                        }
                        if (index == 2) {
                            features = values;
                        } else if (index == 5) {
                            teacherLogits = values;
                        } else {
                            softTargets = values;
                        }
                    }
                }
            }
            return new SoftTargetRecord(id, ts, features, label, split, teacherLogits, softTargets, temperature,
                    ensembleVersion);
        } catch (IOException e) {
            return null;
        }
    }

    /** The record component a field name is, in declaration order (a bit each in the seen mask), or -1. */
    private static int componentIndex(final String field) {
        return switch (field) {
            case "id" -> 0;
            case "ts" -> 1;
            case "features" -> 2;
            case "label" -> 3;
            case "split" -> 4;
            case "teacherLogits" -> 5;
            case "softTargets" -> 6;
            case "temperature" -> 7;
            case "ensembleVersion" -> 8;
            default -> -1;
        };
    }

    /** The array's elements if all are numbers (at most {@link #MAX_ARRAY}), else null. */
    private static double[] numbers(final JsonParser p) throws IOException {
        double[] x = new double[24];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT || n == MAX_ARRAY) {
                return null;
            }
            if (n == x.length) {
                x = Arrays.copyOf(x, 2 * n);
            }
            x[n++] = p.getDoubleValue();
        }
        return Arrays.copyOf(x, n);
    }

    private static void check(final double[] values, final int expected, final String field, final Reason wrongLength) {
        if (values == null) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "missing field '" + field + "'");
        }
        if (values.length != expected) {
            throw new InvalidRecordException(wrongLength, "'" + field + "' has " + values.length
                    + " values, expected " + expected);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new InvalidRecordException(Reason.NON_FINITE, "'" + field + "'[" + i + "] is " + values[i]);
            }
        }
    }

    private static String firstLine(final String message) {
        if (message == null) {
            return "";
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
