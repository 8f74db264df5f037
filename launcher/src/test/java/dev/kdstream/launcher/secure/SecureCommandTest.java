package dev.kdstream.launcher.secure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.launcher.Kd;
import picocli.CommandLine;

class SecureCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int kd(final String... args) {
        final CommandLine cmd = Kd.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void setupAgainstNoBrokerIsOneLineAtOnce() throws Exception {
        assertThat(kd("secure", "init", "--dir", dir.toString(), "--host", "kafka")).isZero();
        assertThat(out.toString()).contains("the broker's certificate names [localhost, 127.0.0.1, kafka]");
        final int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        final long start = System.nanoTime();
        assertThat(kd("secure", "setup", "--dir", dir.toString(), "--internal-bootstrap", "localhost:" + closed))
                .isEqualTo(1);
        // it said so at once, not after the Admin client's 30 s
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        assertThat(err.toString().strip()).startsWith("setup: error: cannot connect to --internal-bootstrap localhost:"
                + closed).doesNotContain("\n");
    }
}
