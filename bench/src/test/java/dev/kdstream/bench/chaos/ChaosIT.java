package dev.kdstream.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The short form of {@code ./kd bench chaos}: every kind of service killed once with SIGKILL, the
 * broker too, on separate OS processes, and the verifier's checks.
 *
 * <p>Not in the default {@code ./mvnw verify} yet: it finds faults the services do not survive
 * (a teacher stopping on a failed transaction commit under load; a hanging transaction after a
 * broker SIGKILL: docs/benchmarks.md, "Chaos"), and CI must pass while they are fixed. Run it with
 * {@code ./mvnw -pl bench -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ChaosIT -Dkd.chaos=true}.
 */
@EnabledIfSystemProperty(named = "kd.chaos", matches = "true",
        disabledReason = "finds faults not fixed yet; run with -Dkd.chaos=true (see the javadoc)")
class ChaosIT {

    @Test
    void killedServicesAndARestartedBrokerLoseAndDuplicateNothing() throws Exception {
        // under target/, not a temporary directory: the services' logs stay for a failed run's reader
        final Path dir = Path.of("target", "chaos-it").toAbsolutePath();
        ChaosRun.deleteRecursively(dir);
        final ChaosOptions options = new ChaosOptions(8_000, 50, 2, 2, 1, 1, 1, 1, 2, ChaosBenchCommand.DEFAULT_BOUND,
                1_000, "warn", dir);
        final PrintWriter out = new PrintWriter(System.out, true);
        final ChaosRun.Report report = new ChaosRun(options, out).run(ChaosBenchCommand.repoRoot());
        ChaosBenchCommand.print(out, report);
        assertThat(report.verdict().recoveries()).hasSize(4);
        assertThat(report.verdict().valid()).hasSizeGreaterThan(7_500);
        assertThat(report.verdict().problems()).isEmpty();
    }
}
