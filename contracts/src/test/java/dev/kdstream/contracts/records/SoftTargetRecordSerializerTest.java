package dev.kdstream.contracts.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.kdstream.contracts.json.Json;

class SoftTargetRecordSerializerTest {

    /** The project's mapper without the annotation, so with Jackson's bean serializer. */
    private static final ObjectMapper BEAN = ((JsonMapper) Json.MAPPER).rebuild().disable(MapperFeature.USE_ANNOTATIONS).build();

    private static final SoftTargetRecord[] RECORDS = {
        new SoftTargetRecord("rec-1", 1_700_000_000_123L, new double[] {0.1, -2.5e-300, 1e300, 0.0, -0.0, 1.0 / 3},
                1, FeatureRecord.TRAIN, new double[] {-1.25, 3.5}, new double[] {0.2, 0.8}, 3.0, "ens-s0"),
        new SoftTargetRecord("un\"quoted\\ é ✓ \u0001", 0L, new double[] {42.0}, null, FeatureRecord.HOLDOUT,
                new double[] {Double.MIN_VALUE}, new double[] {1.0}, 0.5, "v"),
        new SoftTargetRecord(null, -5L, null, 0, null, null, new double[0], 1.0, null),
    };

    @Test
    void writesWhatJacksonsBeanSerializerWrites() throws Exception {
        for (final SoftTargetRecord r : RECORDS) {
            assertThat(Json.MAPPER.writeValueAsString(r)).isEqualTo(BEAN.writeValueAsString(r));
        }
    }

    @Test
    void readsBackTheSameRecord() throws Exception {
        final SoftTargetRecord r = RECORDS[0];
        final SoftTargetRecord back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(r), SoftTargetRecord.class);
        assertThat(back.id()).isEqualTo(r.id());
        assertThat(back.ts()).isEqualTo(r.ts());
        assertThat(back.features()).containsExactly(r.features());
        assertThat(back.label()).isEqualTo(r.label());
        assertThat(back.split()).isEqualTo(r.split());
        assertThat(back.teacherLogits()).containsExactly(r.teacherLogits());
        assertThat(back.softTargets()).containsExactly(r.softTargets());
        assertThat(back.temperature()).isEqualTo(r.temperature());
        assertThat(back.ensembleVersion()).isEqualTo(r.ensembleVersion());
    }
}
