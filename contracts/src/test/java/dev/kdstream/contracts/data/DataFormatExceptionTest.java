package dev.kdstream.contracts.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataFormatExceptionTest {

    @Test
    void messageNamesFileLineAndColumn() {
        final DataFormatException e =
                new DataFormatException(Path.of("train.csv"), 17, "f3", "\"abc\" is not a number");

        assertThat(e).hasMessage("train.csv line 17, column f3: \"abc\" is not a number");
        assertThat(e.file()).isEqualTo(Path.of("train.csv"));
        assertThat(e.line()).isEqualTo(17);
        assertThat(e.column()).isEqualTo("f3");
        assertThat(e.detail()).isEqualTo("\"abc\" is not a number");
    }

    @Test
    void leavesOutMissingColumnAndWholeFileLine() {
        assertThat(new DataFormatException(Path.of("train.csv"), 5, null, "expected 21 fields, found 20"))
                .hasMessage("train.csv line 5: expected 21 fields, found 20");
        assertThat(new DataFormatException(Path.of("train.csv"), 0, null, "file not found"))
                .hasMessage("train.csv: file not found");
    }

    @Test
    void keepsTheCause() {
        final Exception cause = new IOException("disk on fire");
        assertThat(new DataFormatException(Path.of("a.csv"), 0, null, "cannot read", cause)).hasCause(cause);
    }
}
