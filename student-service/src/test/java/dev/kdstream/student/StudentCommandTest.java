package dev.kdstream.student;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class StudentCommandTest {

    @TempDir
    Path dir;

    @Test
    void helpNamesTheOptionsAndExamples() {
        final StringWriter out = new StringWriter();
        final CommandLine cli = new CommandLine(new StudentCommand());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("--role", "--ensemble", "--bootstrap-servers", "--config",
                "./kd student");
    }

    @Test
    void aMissingEnsembleIsAClearUserErrorBeforeAnyKafkaConnection() {
        final AtomicReference<Exception> error = new AtomicReference<>();
        final CommandLine cli = new CommandLine(new StudentCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            error.set(e);
            return 1;
        });
        final Path missing = dir.resolve("nope.kdm");
        assertThat(cli.execute("--role", "trainer", "--ensemble", missing.toString(),
                "--bootstrap-servers", "localhost:1")).isEqualTo(1);
        assertThat(error.get()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("--ensemble");
    }

    @Test
    void anUnknownRoleIsRefused() {
        final CommandLine cli = new CommandLine(new StudentCommand());
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("--role", "teacher")).isNotZero();
    }
}
