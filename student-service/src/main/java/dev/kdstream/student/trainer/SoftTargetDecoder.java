package dev.kdstream.student.trainer;

import java.io.IOException;

import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.InvalidRecordException.Reason;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetCodec;
import dev.kdstream.contracts.records.SoftTargetRecord;

/**
 * Decodes ({@link SoftTargetCodec}) and checks the bytes of a {@code soft-targets} record. The
 * trainer reads the topic as raw bytes and decodes here, so a record it cannot use is skipped with a reason instead of
 * failing {@code poll()} (a deserializer exception there would stop the consumer at that offset).
 */
public final class SoftTargetDecoder {

    /** The teacher's soft targets are float softmax outputs: their sum is 1 within float rounding. */
    static final double SIMPLEX_TOLERANCE = 1e-4;
    /** Versions the teacher writes are a few dozen characters ({@code ensemble-<time>-s<seed>}). */
    static final int MAX_ENSEMBLE_VERSION_CHARS = 200;

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
        final SoftTargetRecord r = value.length > 0 && value[0] == '{' ? fromJson(value)
                : SoftTargetCodec.decode(value);
        if (r.lateLabel()) {
            // a label alone: its record came (or comes) with the features
            if (!r.labelled()) {
                throw new InvalidRecordException(Reason.MISSING_FIELD, "a late_label record without a label");
            }
        } else {
            check(r.features(), width, "features", Reason.WRONG_FEATURE_COUNT);
        }
        // a holdout record is annotated and measures the models; nothing else may claim to be one
        if ((r.selection() == Selection.HOLDOUT) != r.holdout()) {
            throw new InvalidRecordException(Reason.BAD_FIELD, "selection " + r.selection().tag() + " on a "
                    + r.split() + " record");
        }
        if (r.rehearsal() && !r.labelled()) {
            // a lesson teaches labels: the teacher never writes one without
            throw new InvalidRecordException(Reason.MISSING_FIELD, "a rehearsal record without a label");
        }
        if (r.annotated()) {
            check(r.teacherLogits(), classes, "teacherLogits", Reason.BAD_FIELD);
            check(r.softTargets(), classes, "softTargets", Reason.BAD_FIELD);
            checkDistribution(r.softTargets());
        } else if (!r.labelled() && r.selection() != Selection.UNANNOTATED) {
            // nothing to train on, nor a label to wait for: the teacher never writes one
            throw new InvalidRecordException(Reason.MISSING_FIELD, "a " + r.selection().tag()
                    + " record not annotated has no label");
        }
        if (r.label() != null && (r.label() < 0 || r.label() >= classes)) {
            throw new InvalidRecordException(Reason.LABEL_OUT_OF_RANGE, "label " + r.label() + " is not in 0.."
                    + (classes - 1));
        }
        // the holdout records measure the models and must never train them
        if (!FeatureRecord.isKnownSplit(r.split())) {
            throw new InvalidRecordException(Reason.BAD_SPLIT, "'split' must be \"train\" or \"holdout\", got "
                    + r.split());
        }
        // stamped on every checkpoint from here on
        final String ensemble = r.ensembleVersion();
        if (ensemble == null || ensemble.isBlank() || ensemble.length() > MAX_ENSEMBLE_VERSION_CHARS
                || !ensemble.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new InvalidRecordException(Reason.BAD_FIELD, "'ensembleVersion' must be 1-"
                    + MAX_ENSEMBLE_VERSION_CHARS + " printable ASCII characters, got "
                    + (ensemble == null ? "none" : ensemble.length() + " characters"));
        }
        return r;
    }

    /**
     * A soft target as an earlier kd-stream wrote them (a JSON object, its first byte '{'): a trainer
     * upgraded before its teacher, or reading a topic kept from before, still trains on them.
     */
    private static SoftTargetRecord fromJson(final byte[] value) {
        final SoftTargetRecord r;
        try {
            r = Json.MAPPER.readValue(value, SoftTargetRecord.class);
        } catch (IOException e) {
            throw new InvalidRecordException(Reason.MALFORMED_JSON, "not a soft-target record: "
                    + firstLine(e.getMessage()));
        }
        return r;
    }

    /** Each soft target in [0, 1], together summing to 1: the distillation loss takes them as probabilities. */
    private static void checkDistribution(final double[] p) {
        double sum = 0;
        for (final double x : p) {
            if (x < 0 || x > 1) {
                throw new InvalidRecordException(Reason.BAD_FIELD, "'softTargets' are not probabilities: " + x);
            }
            sum += x;
        }
        if (Math.abs(sum - 1) > SIMPLEX_TOLERANCE) {
            throw new InvalidRecordException(Reason.BAD_FIELD, "'softTargets' sum to " + sum + ", not 1");
        }
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
            // in float, as the students compute
            if (!FeatureParser.finiteInFloat(values[i])) {
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
