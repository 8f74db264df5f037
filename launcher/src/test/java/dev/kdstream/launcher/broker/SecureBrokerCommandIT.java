package dev.kdstream.launcher.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.launcher.Kd;
import picocli.CommandLine;

/**
 * {@code ./kd broker --secure} as a user runs it: its own process, which prints how each service
 * connects, writes config files that work, keeps the credentials owner-only, and stops on SIGTERM.
 */
class SecureBrokerCommandIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void itPrintsHowEachServiceConnectsAndItsFilesWork() throws Exception {
        final Path log = dir.resolve("broker.log");
        final Path dataDir = dir.resolve("broker");
        final Process broker = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), Kd.class.getName(),
                "broker", "--secure", "--port", "0", "--data-dir", dataDir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!Files.readString(log).contains("Ctrl-C stops it") && System.nanoTime() < deadline
                    && broker.isAlive()) {
                Thread.sleep(200);
            }
            final String output = Files.readString(log);
            assertThat(output).contains("Secured: clients authenticate with SASL_SSL (SCRAM-SHA-512)")
                    .contains("KD_CONFIG=" + dataDir.resolve("secure/kd-teacher.properties") + " ./kd teacher serve")
                    .contains("KD_CONFIG=" + dataDir.resolve("secure/kd-reader.properties") + " ./kd query");
            final Path secure = dataDir.resolve("secure");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secure))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    secure.resolve("credentials.properties")))).isEqualTo("rw-------");

            // the printed reader's file reads the (empty) predictions topic; the producer's may not
            final StringWriter err = new StringWriter();
            final CommandLine query = Kd.commandLine();
            query.setOut(new PrintWriter(new StringWriter(), true));
            query.setErr(new PrintWriter(err, true));
            assertThat(query.execute("query", "--config", secure.resolve("kd-reader.properties").toString(),
                    "--last", "1", "--timeout", "5")).isZero();
            assertThat(query.execute("query", "--config", secure.resolve("kd-producer.properties").toString(),
                    "--last", "1", "--timeout", "5")).isEqualTo(1);
            assertThat(err.toString()).contains("query: error: topic predictions does not exist, or this principal "
                    + "may not describe it: read it as the reader's principal");
        } finally {
            broker.destroy();
            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
        }
        // 128 + 15: how a JVM ends on SIGTERM, after its shutdown hooks (the broker's clean stop) ran
        assertThat(broker.exitValue()).isEqualTo(143);
        assertThat(Files.readString(log)).contains("kd broker: stopping ...");
    }
}
