package dev.kdstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.json.Json;
import picocli.CommandLine;

class KdTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args) {
        final CommandLine cmd = Kd.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("offline");
        assertThat(run("offline", "--help")).isZero();
        assertThat(out.toString()).contains("--seeds").contains("--json").contains("--train");
    }

    @Test
    void everyHelpRendersWithoutAFormatWarning() {
        // picocli only warns, on stderr, about a description it cannot format (a bare %)
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            render(Kd.commandLine());
        } finally {
            System.setErr(stderr);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    private static void render(final CommandLine command) {
        assertThat(command.getUsageMessage()).isNotBlank();
        command.getSubcommands().values().forEach(KdTest::render);
    }

    @Test
    void brokerHelpSaysHowToUseIt() {
        assertThat(run("broker", "--help")).isZero();
        assertThat(out.toString()).contains("--port").contains("--data-dir").contains("SIGTERM")
                .contains("./kd teacher serve");
    }

    @Test
    void brokerOnAPortInUseIsOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            assertThat(run("broker", "--port", Integer.toString(taken.getLocalPort()), "--data-dir",
                    dir.resolve("b").toString())).isEqualTo(1);
        }
        assertThat(err.toString()).contains("is in use").doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void brokerWithAFileAsDataDirIsOneLine() throws IOException {
        final Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThat(run("broker", "--port", "0", "--data-dir", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot use --data-dir").hasLineCount(1);
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        assertThat(run("offline", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'");
    }

    @Test
    void badCsvStopsWithFileLineAndColumn() throws IOException {
        final Path csv = Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,2,0\n3,oops,1\n");
        assertThat(run("offline", "--train", csv.toString(), "-q")).isEqualTo(1);
        assertThat(err.toString()).contains("bad.csv line 3, column b").doesNotContain("Exception");
    }

    @Test
    void testWithoutTrainIsRefused() throws IOException {
        final Path csv = Files.writeString(dir.resolve("t.csv"), "a,label\n1,0\n2,1\n");
        assertThat(run("offline", "--test", csv.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--test needs --train");
    }

    @Test
    void aTinyOfflineRunWritesTheSummaryJson() throws IOException {
        final Path json = dir.resolve("out/summary.json");
        final int code = run("offline", "-q", "--samples", "300", "--features", "6", "--informative", "4",
                "--redundant", "1", "--classes", "3", "--teachers", "2", "--teacher-epochs", "2",
                "--student-epochs", "2", "--seeds", "2", "--json", json.toString(), "--save", dir.toString());
        assertThat(code).isZero();
        final JsonNode summary = Json.MAPPER.readTree(json.toFile());
        assertThat(summary.path("runs")).hasSize(2);
        assertThat(summary.path("runs").get(1).path("seed").asInt()).isEqualTo(1);
        for (final String key : new String[] {"ensemble_acc", "distilled_acc", "baseline_acc"}) {
            assertThat(summary.path("mean").path(key).asDouble()).isBetween(0.0, 1.0);
            assertThat(summary.path("std").has(key)).isTrue();
        }
        assertThat(summary.has("recovery_of_means")).isTrue();
        // 6-256-128-64-3 and 6-64-32-3
        assertThat(summary.path("params").path("teacher").asLong()).isEqualTo(6 * 256 + 256 + 256 * 128 + 128
                + 128 * 64 + 64 + 64 * 3 + 3);
        assertThat(summary.path("params").path("ensemble").asLong())
                .isEqualTo(2 * summary.path("params").path("teacher").asLong());
        assertThat(summary.path("params").path("student").asLong()).isEqualTo(6 * 64 + 64 + 64 * 32 + 32 + 32 * 3 + 3);
        assertThat(summary.path("timings_s").path("total").asDouble()).isPositive();
        assertThat(dir.resolve("ensemble.kdm")).exists();
        assertThat(dir.resolve("student-distilled.kdm")).exists();
    }
}
