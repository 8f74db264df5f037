package dev.kdstream.contracts.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.records.InvalidRecordException.Reason;

class FeatureParserTest {

    private final FeatureParser parser = new FeatureParser(3, 2, 200);

    private FeatureRecord parse(final String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), 1234L);
    }

    @Test
    void onlyIdAndFeaturesAreRequired() {
        final FeatureRecord r = parse("{\"id\":\"a\",\"features\":[1,2.5,-3e2]}");
        assertThat(r.id()).isEqualTo("a");
        assertThat(r.features()).containsExactly(1, 2.5, -300);
        assertThat(r.ts()).as("Kafka timestamp when the value has none").isEqualTo(1234L);
        assertThat(r.label()).isNull();
        assertThat(r.split()).isEqualTo(FeatureRecord.TRAIN);
    }

    @Test
    void optionalFieldsAreRead() {
        final FeatureRecord r = parse("{\"id\":7,\"ts\":99,\"features\":[0,0,0],\"label\":1,\"split\":\"holdout\"}");
        assertThat(r.id()).isEqualTo("7");
        assertThat(r.ts()).isEqualTo(99L);
        assertThat(r.label()).isEqualTo(1);
        assertThat(r.holdout()).isTrue();
        assertThat(parse("{\"id\":\"n\",\"features\":[0,0,0],\"label\":null}").labelled()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"id\":\"a\",\"features\":[1,2          | MALFORMED_JSON",
        "[1,2,3]                                  | MALFORMED_JSON",
        "{\"features\":[1,2,3]}                   | MISSING_FIELD",
        "{\"id\":\"a\"}                           | MISSING_FIELD",
        "{\"id\":\"\",\"features\":[1,2,3]}       | BAD_FIELD",
        "{\"id\":\"a\",\"features\":\"1,2,3\"}    | BAD_FIELD",
        "{\"id\":\"a\",\"features\":[1,\"2\",3]}  | BAD_FIELD",
        "{\"id\":\"a\",\"features\":[1,2]}        | WRONG_FEATURE_COUNT",
        "{\"id\":\"a\",\"features\":[1,NaN,3]}    | NON_FINITE",
        "{\"id\":\"a\",\"features\":[1,2,Infinity]} | NON_FINITE",
        "{\"id\":\"a\",\"features\":[1,2,1e400]}  | NON_FINITE",
        "{\"id\":\"a\",\"features\":[1,2,1e39]}   | NON_FINITE",
        "{\"id\":\"a\",\"features\":[-3.5e38,2,3]} | NON_FINITE",
        "{\"id\":\"a\",\"features\":[1,2,3],\"label\":18446744073709551617} | LABEL_OUT_OF_RANGE",
        "{\"id\":\"a\",\"features\":[1,2,3],\"label\":9223372036854775808}  | LABEL_OUT_OF_RANGE",
        "{\"id\":\"a\",\"features\":[1,2,3],\"label\":2}   | LABEL_OUT_OF_RANGE",
        "{\"id\":\"a\",\"features\":[1,2,3],\"label\":-1}  | LABEL_OUT_OF_RANGE",
        "{\"id\":\"a\",\"features\":[1,2,3],\"label\":0.5} | BAD_FIELD",
        "{\"id\":\"a\",\"features\":[1,2,3],\"split\":\"test\"} | BAD_SPLIT",
        "{\"id\":\"a\",\"features\":[1,2,3],\"ts\":-5}     | BAD_FIELD",
    })
    void badInputIsRefusedWithItsReason(final String json, final Reason reason) {
        assertThatThrownBy(() -> parse(json.trim()))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageNotContaining("Exception");
    }

    @Test
    void extraFieldsNullsAndRepeatsReadAsTheTreeReadsThem() {
        // valid records take the streaming path: unknown fields (nested too) are skipped, null means
        // absent, and a repeated field's last value wins, as in the tree
        final FeatureRecord r = parse("{\"meta\":{\"x\":[1,{\"y\":[2]}]},\"id\":\"a\",\"ts\":null,"
                + "\"features\":[9,9,9],\"split\":null,\"label\":1,\"features\":[1,2,3],\"label\":null}");
        assertThat(r.id()).isEqualTo("a");
        assertThat(r.ts()).isEqualTo(1234L);
        assertThat(r.features()).containsExactly(1, 2, 3);
        assertThat(r.label()).isNull();
        assertThat(r.split()).isEqualTo(FeatureRecord.TRAIN);
        // a bad value that a later repeat replaces: the tree keeps the last, so the record is valid
        assertThat(parse("{\"id\":\"b\",\"features\":[1,\"x\",3],\"features\":[4,5,6]}").features())
                .containsExactly(4, 5, 6);
        assertThat(parse("{\"id\":-0,\"features\":[1,2,3]}").id()).isEqualTo("0");
    }

    @Test
    void readsUtf16AsWellAsUtf8() {
        // Jackson detects the encoding from the first bytes
        final String json = "{\"id\":\"a\",\"features\":[1,2,3]}";
        assertThat(parser.parse(json.getBytes(StandardCharsets.UTF_16BE), 1L).features()).containsExactly(1, 2, 3);
    }

    @Test
    void oversizeAndTombstonesAreRefusedUnread() {
        final String big = "{\"id\":\"a\",\"features\":[1,2,3],\"pad\":\"" + "x".repeat(300) + "\"}";
        assertThatThrownBy(() -> parse(big)).hasMessageContaining("limit is 200")
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZE));
        assertThatThrownBy(() -> parser.parse(null, 0))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD));
    }

    @Test
    void anIdLongerThanTheLimitIsRefused() {
        final FeatureParser roomy = new FeatureParser(3, 2, 100_000);
        final String atLimit = "i".repeat(FeatureRecord.MAX_ID_CHARS);
        assertThat(roomy.parse(("{\"id\":\"" + atLimit + "\",\"features\":[1,2,3]}").getBytes(StandardCharsets.UTF_8), 0)
                .id()).isEqualTo(atLimit);
        final byte[] over = ("{\"id\":\"" + atLimit + "é\",\"features\":[1,2,3]}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> roomy.parse(over, 0))
                .hasMessage("'id' is 10001 characters, the limit is 10000")
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_FIELD));
    }

    @Test
    void reasonsHaveLowercaseTags() {
        assertThat(Reason.WRONG_FEATURE_COUNT.tag()).isEqualTo("wrong_feature_count");
    }
}
