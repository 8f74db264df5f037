package dev.kdstream.bench.e2e;

import java.io.PrintWriter;
import java.util.Locale;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.launcher.stack.Pipeline;

/**
 * Rounds of records at full speed through the pipeline until at least {@code minRecords} went
 * through and the JIT has settled, or {@code maxRecords}: on two cores the compiler threads
 * compete with the stages, so the JIT keeps compiling the stack for minutes, and a throughput
 * measured before it settles is the warm-up's, not the sustained one.
 *
 * @param minRecords  {@code --warmup-records}
 * @param jitSettled  {@code --jit-settled}: JIT seconds per second of a round below which it has settled
 * @param maxRecords  {@code --warmup-max-records}
 */
record PipelineWarmUp(long minRecords, double jitSettled, long maxRecords) {

    /** Records per round. */
    private static final long ROUND = 500_000;

    /** @param curve the pipeline's records over time, continued here */
    void run(final PhaseRunner phases, final KdConfig config, final Pipeline pipeline, final TopicTap tap,
             final RateCurve curve, final PrintWriter out) throws Exception {
        final long round = Math.min(ROUND, minRecords);
        out.printf(Locale.ROOT, "warm-up: pipeline, rounds of %,d records until the JIT's compilations take less "
                + "than %.2f s per s of a round (at least %,d records, at most %,d), not measured:%n", round,
                jitSettled, minRecords, Math.max(minRecords, maxRecords));
        out.flush();
        long done = 0;
        double compiling = 1;
        for (int i = 1; done < minRecords || compiling >= jitSettled && done < maxRecords; i++) {
            final ThreadCpu before = ThreadCpu.snapshot();
            final PhaseResult r = phases.pipeline(config, pipeline, tap, "w" + i, round, 0, 0, curve.continuing());
            compiling = ThreadCpu.snapshot().jitCoresSince(before);
            done += round;
            out.printf(Locale.ROOT, "    round %d: %,.0f events/s, JIT compilations %.2f s per s%n", i,
                    r.eventsPerSecond(), compiling);
            out.flush();
        }
        if (compiling >= jitSettled) {
            out.printf(Locale.ROOT, "    the JIT had not settled after %,d records: (a) includes its work%n", done);
        }
    }
}
