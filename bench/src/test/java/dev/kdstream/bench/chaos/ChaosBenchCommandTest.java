package dev.kdstream.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.bench.BenchCommand;
import picocli.CommandLine;

class ChaosBenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void refusesAWorkDirectoryAnEarlierRunLeftItsBrokerIn() throws Exception {
        Files.createDirectories(dir.resolve("broker"));
        final CommandLine kd = BenchCommand.commandLine();
        final StringWriter err = new StringWriter();
        kd.setErr(new PrintWriter(err));
        // refused before anything starts (were it not, a whole run would start here)
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> kd.execute("chaos", "--work-dir", dir.toString()))).isEqualTo(2);
        assertThat(err.toString()).contains("--work-dir " + dir + " is not empty");
    }
}
