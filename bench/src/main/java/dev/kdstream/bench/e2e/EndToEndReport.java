package dev.kdstream.bench.e2e;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The tables {@code ./kd bench e2e} prints at the end: throughput (a, c, d), CPU by thread, latency (b). */
final class EndToEndReport {

    private final PrintWriter out;
    /** Records of parts (a) and (d), for the CPU per record. */
    private final long records;
    private final int secondsPerRate;
    private final int warmupSeconds;

    EndToEndReport(final PrintWriter out, final long records, final int secondsPerRate, final int warmupSeconds) {
        this.out = out;
        this.records = records;
        this.secondsPerRate = secondsPerRate;
        this.warmupSeconds = warmupSeconds;
    }

    void throughput(final PhaseResult raw, final PhaseResult pipeline, final KafkaOnlyResult kafkaOnly) {
        out.println();
        out.println("(a)/(c) sustained throughput, records produced as fast as the broker takes them:");
        out.println();
        out.println("| path | records acked | annotated / trained / predicted | seconds to the last | events/s "
                + "| of raw | lost |");
        out.println("|---|---|---|---|---|---|---|");
        out.println(throughputRow("raw produce -> consume", raw, raw));
        out.println(throughputRow("producer -> teacher -> server + trainer", pipeline, raw));
        out.println(String.format(Locale.ROOT, "| the same topology, Kafka only (bytes passed through) | %,d | "
                + "delivered to both readers %,d | %.1f | **%,.0f** | %.2f | %s |", kafkaOnly.acked(),
                kafkaOnly.delivered(), kafkaOnly.seconds(), kafkaOnly.eventsPerSecond(),
                kafkaOnly.eventsPerSecond() / raw.eventsPerSecond(),
                kafkaOnly.delivered() >= kafkaOnly.acked() && kafkaOnly.failed() == 0 ? "0"
                        : Math.max(0, kafkaOnly.acked() - kafkaOnly.delivered()) + " lost"));
    }

    /**
     * What a user meets first: the pipeline's rate over its first records, and how many records it
     * took until the rate over {@code window} records came to 90 % of the settled one, (a)'s, and held
     * there ({@link RateCurve#recordsToReach}).
     */
    void cold(final PhaseResult cold, final PhaseResult settled, final RateCurve curve, final long window) {
        out.println();
        out.printf(Locale.ROOT, "(0) cold: the first %,d records after the pipeline's start: **%,.0f** events/s, "
                + "%.2f of (a)'s settled %,.0f%s%n", cold.produced().acked(), cold.eventsPerSecond(),
                cold.eventsPerSecond() / settled.eventsPerSecond(), settled.eventsPerSecond(),
                cold.lost() == 0 && cold.duplicates() == 0 ? "" : "; " + cold.lost() + " lost, " + cold.duplicates()
                        + " duplicates");
        out.printf(Locale.ROOT, "    to 90 %% of the settled rate (over %,d records, held for %d windows): %s%n",
                window, RateCurve.HELD,
                curve.recordsToReach(0.9 * settled.eventsPerSecond(), window, RateCurve.HELD).stream()
                        .mapToObj(n -> String.format(Locale.ROOT, "**%,d records** after the start", n)).findFirst()
                        .orElse(String.format(Locale.ROOT, "not within the %,d records of (0), the warm-up and (a)",
                                curve.done())));
    }

    private static String throughputRow(final String label, final PhaseResult r, final PhaseResult raw) {
        final String counts = r.path().equals("raw") ? String.format(Locale.ROOT, "consumed %,d", r.predicted())
                : String.format(Locale.ROOT, "%,d / %,d / %,d (consumed %,d)", r.annotated(), r.trained(),
                        r.predicted(), r.consumed());
        return String.format(Locale.ROOT, "| %s | %,d | %s | %.1f | **%,.0f** | %.2f | %s |", label,
                r.produced().acked(), counts, r.seconds(), r.eventsPerSecond(),
                r.eventsPerSecond() / raw.eventsPerSecond(), r.lost() == 0 && r.duplicates() == 0 ? "0"
                        : r.lost() + " lost, " + r.duplicates() + " duplicates");
    }

    /**
     * Where the CPU of parts (a) and (d) went, native time (the teacher's GEMMs) included, per
     * record: the two moved the same records at different speeds.
     */
    void cpu(final String label, final ThreadCpu[] span) {
        final ThreadCpu before = span[0];
        final ThreadCpu after = span[1];
        final double process = after.processCoresSince(before);
        final double seconds = after.secondsSince(before);
        out.println();
        out.printf(Locale.ROOT, "%s, CPU by thread (the process: %.2f cores of %d; GC pauses %.0f %% of the time; "
                        + "JIT compile time %.2f s per s):%n%n", label, process,
                Runtime.getRuntime().availableProcessors(), 100 * after.gcShareSince(before),
                after.jitCoresSince(before));
        out.println("| thread | cores | us of CPU per record | of the process |");
        out.println("|---|---|---|---|");
        after.coresSince(before).forEach((role, cores) -> {
            if (cores >= 0.005) {
                out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %.0f %% |%n", role, cores,
                        1e6 * cores * seconds / records, 100 * cores / process);
            }
        });
        out.printf(Locale.ROOT, "| all | %.2f | %.1f | 100 %% |%n", process, 1e6 * process * seconds / records);
    }

    /** Per rate, the raw and the pipeline phase. */
    void latency(final List<PhaseResult[]> atRates) {
        out.println();
        out.printf(Locale.ROOT, "(b) event time -> visible to a read_committed consumer, ms, %d s measured after "
                + "%d s warm-up (served: event time -> the server's servedAt, what kd.prediction.latency times):%n",
                secondsPerRate, warmupSeconds);
        out.println();
        out.println("| events/s | achieved raw / pipeline | raw p50 / p99 / p99.9 | pipeline p50 / p99 / p99.9 "
                + "| served p50 / p99 / p99.9 | pipeline p99 / raw p99 | lost |");
        out.println("|---|---|---|---|---|---|---|");
        for (final PhaseResult[] pair : atRates) {
            final PhaseResult raw = pair[0];
            final PhaseResult p = pair[1];
            out.printf(Locale.ROOT, "| %,.0f | %,.0f / %,.0f | %s | %s | %s | **%.1fx** | %s |%n", p.rate(),
                    raw.eventsPerSecond(), p.eventsPerSecond(), triple(raw.latency()), triple(p.latency()),
                    triple(p.served()), (double) p.latency().p99() / Math.max(1, raw.latency().p99()),
                    p.lost() + raw.lost() == 0 && p.duplicates() + raw.duplicates() == 0 ? "0"
                            : "raw " + raw.lost() + ", pipeline " + p.lost() + " (dup " + p.duplicates() + ")");
        }
    }

    private static String triple(final Percentiles p) {
        return p.count() == 0 ? "-" : String.format(Locale.ROOT, "%d / %d / %d", p.p50(), p.p99(), p.p999());
    }
}
