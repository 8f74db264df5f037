package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.records.InvalidRecordException.Reason;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.SoftTargetCodec;
import dev.kdstream.contracts.records.SoftTargetRecord;

class SoftTargetDecoderTest {

    private final SoftTargetDecoder decoder = new SoftTargetDecoder(3, 2);

    /** A soft target as an earlier kd-stream wrote them: still read. */
    private static byte[] json(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesAValidRecord() {
        final SoftTargetRecord r = decoder.decode(json("{\"id\":\"a\",\"ts\":5,\"features\":[1,2,3],\"label\":1,"
                + "\"split\":\"holdout\",\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7],\"temperature\":3,"
                + "\"ensembleVersion\":\"e1\"}"));
        assertThat(r.id()).isEqualTo("a");
        assertThat(r.features()).containsExactly(1, 2, 3);
        assertThat(r.label()).isEqualTo(1);
        assertThat(r.holdout()).isTrue();
        assertThat(r.softTargets()).containsExactly(0.3, 0.7);
        assertThat(r.ensembleVersion()).isEqualTo("e1");
    }

    @Test
    void decodesTheTeachersBinaryRecordsWithTheSameChecks() {
        final SoftTargetRecord r = new SoftTargetRecord("b", 9, new double[] {1, 2, 3}, null, "train",
                new double[] {-1, 1}, new double[] {0.3, 0.7}, 2, "e2");
        assertThat(decoder.decode(SoftTargetCodec.encode(r))).usingRecursiveComparison().isEqualTo(r);
        assertReason(SoftTargetCodec.encode(new SoftTargetRecord("b", 9, new double[] {1, 2}, null, "train",
                new double[] {-1, 1}, new double[] {0.3, 0.7}, 2, "e2")), Reason.WRONG_FEATURE_COUNT);
        assertReason(SoftTargetCodec.encode(new SoftTargetRecord("b", 9, new double[] {1, 2, Double.NaN}, null,
                "train", new double[] {-1, 1}, new double[] {0.3, 0.7}, 2, "e2")), Reason.NON_FINITE);
        assertReason(SoftTargetCodec.encode(new SoftTargetRecord("b", 9, new double[] {1, 2, 3}, 2, "train",
                new double[] {-1, 1}, new double[] {0.3, 0.7}, 2, "e2")), Reason.LABEL_OUT_OF_RANGE);
        assertReason(SoftTargetCodec.encode(new SoftTargetRecord("b", 9, new double[] {1, 2, 3}, null, "train",
                new double[] {-1, 1}, new double[] {0.3, 0.3}, 2, "e2")), Reason.BAD_FIELD);
        final byte[] cut = SoftTargetCodec.encode(r);
        assertReason(java.util.Arrays.copyOf(cut, cut.length - 1), Reason.MALFORMED_BINARY);
    }

    @Test
    void anUnlabelledRecordIsValid() {
        final SoftTargetRecord r = decoder.decode(json("{\"id\":\"a\",\"features\":[1,2,3],\"label\":null,"
                + "\"split\":\"train\",\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7],\"ensembleVersion\":\"e1\"}"));
        assertThat(r.labelled()).isFalse();
        assertThat(r.holdout()).isFalse();
    }

    @Test
    void refusesWhatTheStudentsCannotUseWithAReason() {
        assertReason(null, Reason.MISSING_FIELD);
        assertReason(json("{not json"), Reason.MALFORMED_JSON);
        assertReason(json("[1,2]"), Reason.MALFORMED_BINARY);
        assertReason(new byte[0], Reason.MALFORMED_BINARY);
        assertReason(json("{\"features\":[1,2],\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7]}"),
                Reason.WRONG_FEATURE_COUNT);
        assertReason(json("{\"features\":[1,2,3],\"softTargets\":[0.3,0.7]}"), Reason.MISSING_FIELD);
        assertReason(json("{\"features\":[1,2,3],\"teacherLogits\":[-1,1,0],\"softTargets\":[0.3,0.7]}"),
                Reason.BAD_FIELD);
        assertReason(json("{\"features\":[1,2,3],\"label\":2,\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7]}"),
                Reason.LABEL_OUT_OF_RANGE);
        assertReason(json("{\"features\":[1,2,3],\"label\":-1,\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7]}"),
                Reason.LABEL_OUT_OF_RANGE);
        assertReason(json("{\"features\":[1,2,1e400],\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7]}"),
                Reason.NON_FINITE);
    }

    @Test
    void refusesWhatWouldMisleadTheTrainer() {
        final String valid = "{\"id\":\"a\",\"features\":[1,2,3],\"label\":1,\"split\":\"train\","
                + "\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7],\"ensembleVersion\":\"e1\"}";
        assertThat(decoder.decode(json(valid)).id()).isEqualTo("a");
        // finite as a double, infinite as the float the students compute in
        assertReason(json(valid.replace("[1,2,3]", "[1,2,1e39]")), Reason.NON_FINITE);
        assertReason(json(valid.replace("[-1,1]", "[-1,4e38]")), Reason.NON_FINITE);
        // a holdout record must never train; anything else is not a split
        assertReason(json(valid.replace("\"train\"", "\"test\"")), Reason.BAD_SPLIT);
        assertReason(json(valid.replace(",\"split\":\"train\"", "")), Reason.BAD_SPLIT);
        // the distillation loss takes the soft targets as probabilities
        assertReason(json(valid.replace("[0.3,0.7]", "[0.3,0.3]")), Reason.BAD_FIELD);
        assertReason(json(valid.replace("[0.3,0.7]", "[-0.5,1.5]")), Reason.BAD_FIELD);
        assertThat(decoder.decode(json(valid.replace("[0.3,0.7]", "[0.30000001,0.7]"))).id())
                .as("float rounding").isEqualTo("a");
        // a refresh's lesson teaches labels: one without would be trained on as a null label
        final String rehearsal = valid.replace("}", ",\"selection\":\"rehearsal\"}");
        assertThat(decoder.decode(json(rehearsal)).rehearsal()).isTrue();
        assertReason(json(rehearsal.replace("\"label\":1", "\"label\":null")), Reason.MISSING_FIELD);
        // an earlier kd-stream annotated every record: a JSON one without teacher output is incomplete
        // (found by the fuzzer: read as passed on with its label, a holdout record among them)
        assertReason(json(valid.replace("teacherLogits", "teacherLxgits").replace("softTargets", "softTapgets")
                .replace("\"train\"", "\"holdout\"")), Reason.MISSING_FIELD);
        // stamped on every checkpoint
        assertReason(json(valid.replace(",\"ensembleVersion\":\"e1\"", "")), Reason.BAD_FIELD);
        assertReason(json(valid.replace("\"e1\"", "\"" + "e".repeat(201) + "\"")), Reason.BAD_FIELD);
        assertReason(json(valid.replace("\"e1\"", "\"e 1\\n\"")), Reason.BAD_FIELD);
    }

    private void assertReason(final byte[] value, final Reason reason) {
        assertThatThrownBy(() -> decoder.decode(value)).isInstanceOf(InvalidRecordException.class)
                .satisfies(e -> assertThat(((InvalidRecordException) e).reason()).isEqualTo(reason));
    }
}
