package dev.kdstream.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The student trainer's throughput without Kafka: records/s absorbed (decode, predict and
 * prequential evaluation, micro-batch fit of both students), with the time split by phase.
 * One thread, as the trainer. Simple nanoTime accounting, not JMH: one phase is milliseconds.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "Student trainer records/s absorbed, evaluation included: the per-poll work of the "
                + "online trainer (decode soft targets, predict both students, evaluate, fit both at the "
                + "micro-batch size) over in-memory pre-serialised records, with the time per phase.",
        footer = {"", "Example:", "  ./kd bench trainer", "  ./kd bench trainer --batch 256 --seconds 20"})
public final class TrainerBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--records", paramLabel = "N", defaultValue = "50000",
            description = "Pre-serialised soft-target records, cycled (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
            description = "Micro-batch size, student.batch.size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--poll", paramLabel = "N", defaultValue = "500",
            description = "Records per poll, Kafka's max.poll.records (default: ${DEFAULT-VALUE}).")
    int poll;

    @Option(names = "--holdout", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Share of holdout records, scored but not trained on (default: ${DEFAULT-VALUE}, "
                    + "the stack's 1,000 of 5,000).")
    double holdout;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "8",
            description = "Warm-up before measuring (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "15",
            description = "Measured time (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() {
        if (records < 1 || batch < 1 || poll < 1 || warmup < 0 || seconds <= 0) {
            throw new IllegalArgumentException("--records, --batch, --poll and --seconds must be positive, "
                    + "--warmup >= 0");
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(MachineInfo.describe());
        out.printf(Locale.ROOT, "making %,d soft-target records (seed synthetic data, synthetic soft targets)...%n",
                records);
        out.flush();
        final TrainerWorkload w = TrainerWorkload.create(records, batch, holdout);
        out.printf(Locale.ROOT, "micro-batch %d, poll %d, holdout %.0f %%; warm-up %.0f s, then %.0f s measured%n",
                batch, poll, 100 * holdout, warmup, seconds);
        out.flush();
        final int next = run(w, 0, warmup);
        w.reset();
        final long start = System.nanoTime();
        run(w, next, seconds);
        final long wall = System.nanoTime() - start;

        final double perSecond = w.records() / (wall / 1e9);
        final long phases = w.decodeNanos() + w.predictNanos() + w.fitNanos();
        out.printf(Locale.ROOT, "records absorbed: %,d in %.2f s = %,.0f records/s (trained on %,d; %,d fit() steps, "
                        + "%.2f ms each incl. batch assembly)%n", w.records(), wall / 1e9, perSecond, w.trained(),
                w.steps(), w.fitNanos() / 1e6 / Math.max(1, w.steps()));
        out.printf(Locale.ROOT, "%-26s %10s %8s %14s%n", "phase", "s", "share", "us per record");
        phase(out, "decode + scale", w.decodeNanos(), phases, w.records());
        phase(out, "predict x2 + evaluate", w.predictNanos(), phases, w.records());
        phase(out, "micro-batch + fit x2", w.fitNanos(), phases, w.records());
        out.printf(Locale.ROOT, "target >= 100,000 records/s: %.2fx of target%n", perSecond / 100_000);
        out.printf(Locale.ROOT, "prequential accuracy (window) distilled %.3f, baseline %.3f%n",
                w.evaluation().window().distilled(), w.evaluation().window().baseline());
        out.flush();
        return 0;
    }

    /** Polls for the given time; returns the next record index. */
    private int run(final TrainerWorkload w, final int from, final double forSeconds) {
        final long end = System.nanoTime() + (long) (forSeconds * 1e9);
        int next = from;
        while (System.nanoTime() - end < 0) {
            w.poll(next, poll);
            next = (next + poll) % w.size();
        }
        return next;
    }

    private static void phase(final PrintWriter out, final String name, final long nanos, final long total,
                              final long records) {
        out.printf(Locale.ROOT, "%-26s %10.2f %7.1f%% %14.2f%n", name, nanos / 1e9, 100.0 * nanos / total,
                nanos / 1e3 / records);
    }

    /** Runs the command outside the launcher: {@code java -cp ... dev.kdstream.bench.TrainerBenchCommand}. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new TrainerBenchCommand()).execute(args));
    }
}
