package dev.kdstream.contracts.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.records.InvalidRecordException.Reason;

class LabelParserTest {

    private final LabelParser parser = new LabelParser(3, 200);

    private LabelRecord parse(final String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), 77);
    }

    private static Reason reason(final Runnable parse) {
        try {
            parse.run();
        } catch (InvalidRecordException e) {
            return e.reason();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void readsTheIdTheLabelAndTheTimeDefaultingToTheKafkaTimestamp() {
        assertThat(parse("{\"id\":\"a\",\"label\":2,\"ts\":5}")).isEqualTo(new LabelRecord("a", 2, 5));
        assertThat(parse("{\"id\":12,\"label\":0}")).isEqualTo(new LabelRecord("12", 0, 77));
        assertThat(parse("{\"id\":\"a\",\"label\":1,\"ts\":null,\"extra\":[1]}")).isEqualTo(new LabelRecord("a", 1, 77));
    }

    @Test
    void refusesEachBadLabelWithItsReason() {
        assertThat(reason(() -> parse("{\"id\":\"a\",\"label\":3}"))).isEqualTo(Reason.LABEL_OUT_OF_RANGE);
        assertThat(reason(() -> parse("{\"id\":\"a\",\"label\":-1}"))).isEqualTo(Reason.LABEL_OUT_OF_RANGE);
        assertThat(reason(() -> parse("{\"id\":\"a\",\"label\":18446744073709551617}")))
                .isEqualTo(Reason.LABEL_OUT_OF_RANGE);
        assertThat(reason(() -> parse("{\"id\":\"a\",\"label\":1.5}"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(() -> parse("{\"id\":\"a\"}"))).isEqualTo(Reason.MISSING_FIELD);
        assertThat(reason(() -> parse("{\"id\":\"a\",\"label\":null}"))).isEqualTo(Reason.MISSING_FIELD);
        assertThat(reason(() -> parse("{\"label\":1}"))).isEqualTo(Reason.MISSING_FIELD);
        assertThat(reason(() -> parse("{\"id\":\"\",\"label\":1}"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(() -> parse("{\"id\":\"a\",\"label\":1,\"ts\":-4}"))).isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(() -> parse("[1]"))).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(reason(() -> parse("{\"id\":"))).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(reason(() -> parse("{\"id\":\"" + "x".repeat(300) + "\",\"label\":1}"))).isEqualTo(Reason.OVERSIZE);
        assertThatThrownBy(() -> parser.parse(null, 0)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("tombstone");
    }
}
