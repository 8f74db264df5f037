package dev.kdstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The {@code ./kd} script as users run it, on the build Maven just made: it starts the JVM from its
 * class data sharing archive (making it first if needed), and without one when asked.
 */
class KdScriptIT {

    /** Failsafe runs in the module's directory; the script is at the repository root. */
    private static final Path KD = Path.of("").toAbsolutePath().getParent().resolve("kd");

    @Test
    void startsFromItsClassDataSharingArchive() throws Exception {
        assertThat(kdVersionLoadingClasses(Map.of()))
                .contains("dev.kdstream.launcher.Kd source: shared objects file")
                .contains("kd-stream 0.1.0");
    }

    @Test
    void startsWithoutTheArchiveWhenAskedTo() throws Exception {
        assertThat(kdVersionLoadingClasses(Map.of("KD_CDS", "off")))
                .doesNotContain("dev.kdstream.launcher.Kd source: shared objects file")
                .contains("dev.kdstream.launcher.Kd source: file:")
                .contains("kd-stream 0.1.0");
    }

    /** {@code ./kd --version}'s output, with the JVM's log of where each class came from. */
    private static String kdVersionLoadingClasses(final Map<String, String> env)
            throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(KD.toString(), "--version").redirectErrorStream(true);
        builder.environment().putAll(Map.of("JAVA_HOME", System.getProperty("java.home"), "KD_NO_BUILD", "1",
                "KD_JAVA_OPTS", "-Xlog:class+load=info"));
        builder.environment().putAll(env);
        final Process process = builder.start();
        // the first run after a build makes the archive: about 20 s on 2 cores
        final byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();
        return new String(output, StandardCharsets.UTF_8);
    }
}
