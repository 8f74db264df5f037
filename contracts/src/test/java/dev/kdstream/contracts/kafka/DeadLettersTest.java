package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.InvalidRecordException.Reason;

class DeadLettersTest {

    private static final int LIMIT = 64 * 1024;

    @Test
    void aLetterThatFitsIsLeftAsItIs() {
        final byte[] value = new byte[1000];
        final Headers headers = headers(new RecordHeaders());
        final DeadLetters.Letter letter = DeadLetters.fit(bytes("k"), value, headers, LIMIT);
        assertThat(letter.value()).isSameAs(value);
        assertThat(letter.headers().lastHeader(DeadLetters.TRUNCATED)).isNull();
    }

    @Test
    void aLargeValueIsCutToItsFirstBytesThatFit() {
        final byte[] value = new byte[LIMIT * 3];
        Arrays.fill(value, (byte) 'v');
        final DeadLetters.Letter letter = DeadLetters.fit(bytes("k"), value, headers(new RecordHeaders()), LIMIT);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED)).isEqualTo("value");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGINAL_BYTES)).isEqualTo(
                Integer.toString(value.length));
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo(Reason.OVERSIZE.tag());
        assertThat(letter.key()).containsExactly(bytes("k"));
        assertThat(letter.value().length).isPositive()
                .isLessThanOrEqualTo(LIMIT - DeadLetters.RECORD_OVERHEAD);
    }

    @Test
    void oversizeHeadersAreDroppedAndTheKeyCutWhenTheValueAloneIsNotEnough() {
        final RecordHeaders original = new RecordHeaders();
        original.add("big", new byte[LIMIT]);
        final byte[] key = new byte[LIMIT];
        final DeadLetters.Letter letter = DeadLetters.fit(key, new byte[100], headers(original), LIMIT);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED)).isEqualTo("value,key,headers");
        assertThat(letter.headers().lastHeader("big")).isNull();
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("7");
        assertThat(letter.key()).hasSize(DeadLetters.MAX_KEPT_KEY_BYTES);
        assertThat(letter.value()).hasSize(100);
    }

    private static Headers headers(final Headers original) {
        return DeadLetters.headers(original, new InvalidRecordException(Reason.OVERSIZE, "too large"), "features", 0, 7,
                "teacher");
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
