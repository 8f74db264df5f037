package dev.kdstream.teacher.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.kafka.JsonSerde;
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.ParsedFeature;
import dev.kdstream.contracts.records.SoftTargetRecord;

class OutgoingSoftTargetSerializerTest {

    private final OutgoingSoftTargetSerializer serializer = new OutgoingSoftTargetSerializer();

    private static SoftTargetRecord softTarget(final FeatureRecord f) {
        return SoftTargetRecord.of(f, new double[] {-1.25, 0.1 + 0.2}, new double[] {0.25, 0.75}, 3.0, "ens");
    }

    @Test
    void withoutTextItWritesTheTopicsJson() {
        final SoftTargetRecord r = softTarget(new FeatureRecord("a", 7L, new double[] {1.0 / 3, -0.0, 1e300}, null,
                FeatureRecord.HOLDOUT));
        assertThat(serializer.serialize("t", new OutgoingSoftTarget(r, null)))
                .isEqualTo(JsonSerde.serdeFor(SoftTargetRecord.class).serializer().serialize("t", r));
    }

    @Test
    void withTheInputsTextAReaderGetsTheSameRecord() throws Exception {
        final String input = "{\"id\":\"b\",\"ts\":9,\"features\":[ 0.30000000000000004, 1E-7 ,-2,1e-400 ],\"label\":1}";
        final ParsedFeature parsed = new FeatureParser(4, 2, 1000)
                .parseKeepingText(input.getBytes(StandardCharsets.UTF_8), 0L);
        final SoftTargetRecord r = softTarget(parsed.record());

        final byte[] copied = serializer.serialize("t", new OutgoingSoftTarget(r, parsed.featuresJson()));
        assertThat(new String(copied, StandardCharsets.UTF_8))
                .contains("\"features\":[ 0.30000000000000004, 1E-7 ,-2,1e-400 ],\"label\":1");
        final SoftTargetRecord fromCopy = Json.MAPPER.readValue(copied, SoftTargetRecord.class);
        final SoftTargetRecord fromPrint = Json.MAPPER.readValue(
                serializer.serialize("t", new OutgoingSoftTarget(r, null)), SoftTargetRecord.class);
        assertThat(fromCopy.features()).containsExactly(r.features()).containsExactly(fromPrint.features());
        assertThat(fromCopy).usingRecursiveComparison().isEqualTo(fromPrint);
    }
}
