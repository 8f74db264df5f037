package dev.kdstream.client.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void rendersCountsRateAndTime() {
        assertThat(ProgressLine.render(new ProducerProgress(500, 480, 0, 1000, 2_500_000_000L), 2000))
                .isEqualTo("produce [############............]  50% 500/1000 sent, 480 acked, 2,000/s, 2.5 s");
        assertThat(ProgressLine.render(new ProducerProgress(70, 60, 3, -1, 1_000_000_000L), 70.4))
                .isEqualTo("produce 70 sent, 60 acked, 3 FAILED, 70/s, 1.0 s");
    }

    @Test
    void aPipeGetsALinePerTenPercentWithTheCurrentRate() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        for (int i = 0; i <= 100; i++) {
            // 1000 records per second: 10 records every 10 ms
            line.onProgress(new ProducerProgress(10L * i, 10L * i, 0, 1000, 10_000_000L * i));
        }
        line.finish();

        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertThat(lines).hasSize(11);
        assertThat(lines[10]).contains("100% 1000/1000 sent", "1,000/s");
    }
}
