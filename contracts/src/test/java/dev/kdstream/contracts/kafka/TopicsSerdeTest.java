package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.contracts.records.StudentCheckpoint;

class TopicsSerdeTest {

    @Test
    void recordsSurviveTheRoundTrip() {
        final Serde<SoftTargetRecord> serde = Topics.defaults().softTargets().valueSerde();
        final SoftTargetRecord r = new SoftTargetRecord("a", 5, new double[] {1, 2}, null, "train",
                new double[] {0.5, -0.5}, new double[] {0.6, 0.4}, 3.0, "ens-1");
        final SoftTargetRecord back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", r));
        assertThat(back).usingRecursiveComparison().isEqualTo(r);

        final Serde<StudentCheckpoint> cs = Topics.defaults().checkpoints().valueSerde();
        final StudentCheckpoint c = new StudentCheckpoint("student", 3, 100, Map.of(0, 10L, 1, 12L), "ens-1", 7,
                new byte[] {1, 2, 3}, new byte[] {4});
        assertThat(cs.deserializer().deserialize("t", cs.serializer().serialize("t", c)))
                .usingRecursiveComparison().isEqualTo(c);
    }

    @Test
    void garbageIsASerializationExceptionNamingTheTopic() {
        final Serde<SoftTargetRecord> serde = Topics.defaults().softTargets().valueSerde();
        assertThatThrownBy(() -> serde.deserializer().deserialize("soft-targets", "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("soft-targets");
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void deadLetterHeadersKeepTheOriginalsAndNameTheError() {
        final RecordHeaders original = new RecordHeaders();
        original.add("trace", "x".getBytes(StandardCharsets.UTF_8));
        final var h = DeadLetters.headers(original, new InvalidRecordException(
                InvalidRecordException.Reason.NON_FINITE, "features[1] is NaN"), "features", 1, 42, "teacher");
        assertThat(DeadLetters.header(h, "trace")).isEqualTo("x");
        assertThat(DeadLetters.header(h, DeadLetters.REASON)).isEqualTo("non_finite");
        assertThat(DeadLetters.header(h, DeadLetters.MESSAGE)).isEqualTo("features[1] is NaN");
        assertThat(DeadLetters.header(h, DeadLetters.SOURCE_PARTITION)).isEqualTo("1");
        assertThat(DeadLetters.header(h, DeadLetters.SOURCE_OFFSET)).isEqualTo("42");
    }
}
