package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kdstream.common.json.Json;
import dev.kdstream.common.records.FeatureRecord;

import dev.kdstream.common.records.InvalidRecordException;
import dev.kdstream.common.records.InvalidRecordException.Reason;
import dev.kdstream.common.records.SoftTargetRecord;

class SoftTargetDecoderTest {

    private final SoftTargetDecoder decoder = new SoftTargetDecoder(3, 2);

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
    void anUnlabelledRecordIsValid() {
        final SoftTargetRecord r = decoder.decode(json("{\"id\":\"a\",\"features\":[1,2,3],\"label\":null,"
                + "\"split\":\"train\",\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7]}"));
        assertThat(r.labelled()).isFalse();
        assertThat(r.holdout()).isFalse();
    }

    @Test
    void refusesWhatTheStudentsCannotUseWithAReason() {
        assertReason(null, Reason.MISSING_FIELD);
        assertReason(json("{not json"), Reason.MALFORMED_JSON);
        assertReason(json("[1,2]"), Reason.MALFORMED_JSON);
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
    void readsWhatTheTeacherWritesAsJacksonsDeserializerReadsIt() throws Exception {
        final Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            final double[] features = {random.nextGaussian(), random.nextDouble() * 1e-9, -random.nextInt(1000)};
            final Integer label = i % 3 == 0 ? null : i % 2;
            final SoftTargetRecord r = new SoftTargetRecord("id-" + i, random.nextLong() >>> 20, features, label,
                    i % 5 == 0 ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN,
                    new double[] {random.nextGaussian(), random.nextGaussian()},
                    new double[] {random.nextDouble(), random.nextDouble()}, 1 + i % 4, "ens-" + i % 2);
            final byte[] bytes = Json.MAPPER.writeValueAsBytes(r);
            assertThat(decoder.decode(bytes)).usingRecursiveComparison()
                    .isEqualTo(Json.MAPPER.readValue(bytes, SoftTargetRecord.class));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // unusual but valid: each read as Jackson's deserializer reads it
        "{\"id\":7,\"ts\":\"5\",\"features\":[1,2,3],\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7]}",
        "{\"features\":[9,9,9],\"features\":[1,2,3],\"teacherLogits\":[-1,1],\"softTargets\":[0.3,0.7]}",
        "{\"extra\":{\"a\":[1,{\"b\":[2]}]},\"features\":[1,2,3],\"teacherLogits\":[-1,1],\"softTargets\":[0,1]}",
        " { \"features\" : [ 1 , 2.5E0 , -0 ] , \"label\" : null , \"teacherLogits\":[-1,1],\"softTargets\":[0,1],"
                + "\"temperature\":2,\"ts\":12345678901234,\"split\":null,\"ensembleVersion\":null,\"id\":null } ",
        "{\"features\":[1,2,3],\"teacherLogits\":[-1,1],\"softTargets\":[0,1],\"temperature\":\"3\",\"ts\":5.0}",
    })
    void unusualRecordsReadAsJacksonsDeserializerReadsThem(final String text) throws Exception {
        assertThat(decoder.decode(json(text))).usingRecursiveComparison()
                .isEqualTo(Json.MAPPER.readValue(json(text), SoftTargetRecord.class));
    }

    private void assertReason(final byte[] value, final Reason reason) {
        assertThatThrownBy(() -> decoder.decode(value)).isInstanceOf(InvalidRecordException.class)
                .satisfies(e -> assertThat(((InvalidRecordException) e).reason()).isEqualTo(reason));
    }
}
