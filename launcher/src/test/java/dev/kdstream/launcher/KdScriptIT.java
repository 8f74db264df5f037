package dev.kdstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kdstream.launcher.monitoring.RepoFiles;

/**
 * The {@code ./kd} script as users run it, on the build Maven just made: it starts the JVM from its
 * class data sharing archive (making it first if needed), and without one when asked.
 */
class KdScriptIT {

    private static final Path KD = RepoFiles.root().resolve("kd");

    /** The JVM's log line for the class {@code ./kd} starts, which names where the class came from. */
    private static final String MAIN_CLASS_LOADED = "dev.kdstream.launcher.Kd source: ";

    @Test
    void startsFromItsClassDataSharingArchive() {
        // not --help or --version, which do not wait for the archive to be made: a command that
        // parses its arguments and stops
        final Run run = kd(Map.of(), "--no-such-option");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("Unknown option: '--no-such-option'")
                .contains(MAIN_CLASS_LOADED + "shared objects file");
    }

    @Test
    void startsWithoutTheArchiveWhenAskedTo() {
        final Run run = kd(Map.of("KD_CDS", "off"), "--version");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("kd-stream 0.1.0").contains(MAIN_CLASS_LOADED + "file:")
                .doesNotContain(MAIN_CLASS_LOADED + "shared objects file");
    }

    private record Run(int exitCode, String output) {
    }

    /** {@code ./kd args}, with the JVM's log of where each class came from. */
    private static Run kd(final Map<String, String> env, final String... args) {
        // the first run after a build makes the archive: about 20 s on 2 cores
        return assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            final ProcessBuilder builder = new ProcessBuilder(KD.toString()).redirectErrorStream(true);
            builder.command().addAll(List.of(args));
            builder.environment().remove("KD_CDS");
            builder.environment().putAll(Map.of("JAVA_HOME", System.getProperty("java.home"), "KD_NO_BUILD", "1",
                    "KD_JAVA_OPTS", "-Xlog:class+load=info"));
            builder.environment().putAll(env);
            final Process process = builder.start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Run(process.waitFor(), output);
        });
    }
}
