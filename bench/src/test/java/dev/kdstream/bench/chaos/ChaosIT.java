package dev.kdstream.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.kdstream.bench.chaos.ChaosOptions.Fault;

/**
 * The short form of {@code ./kd bench chaos}: every kind of service killed once with SIGKILL and
 * the broker restarted (SIGTERM), on separate OS processes, and the verifier's checks. The broker's
 * SIGKILL is in the long form only: after one, a transaction on soft-targets has been seen left
 * hanging (docs/benchmarks.md, "Chaos"), which this test would report as records without a soft
 * target.
 *
 * <p>Not in the default {@code ./mvnw verify} yet: under load it found a teacher stopping on a
 * failed transaction commit, and CI must pass while that is fixed. Run it with
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
        final ChaosOptions options = new ChaosOptions(8_000, 50, 2, 2, 1, 1, 1, 0, 2, ChaosBenchCommand.DEFAULT_BOUND,
                1_000, "warn", dir);
        final PrintWriter out = new PrintWriter(System.out, true);
        final ChaosRun.Report report = new ChaosRun(options, out).run(ChaosBenchCommand.repoRoot(),
                List.of(Fault.TEACHER, Fault.TRAINER, Fault.SERVER, Fault.BROKER_TERM));
        ChaosBenchCommand.print(out, report);
        assertThat(report.verdict().recoveries()).hasSize(4);
        assertThat(report.verdict().valid()).hasSizeGreaterThan(7_500);
        assertThat(report.verdict().problems()).isEmpty();
    }
}
