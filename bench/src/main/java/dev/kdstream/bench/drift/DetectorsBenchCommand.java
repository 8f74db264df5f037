package dev.kdstream.bench.drift;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.kdstream.bench.MachineInfo;
import dev.kdstream.model.drift.DriftDetector;
import dev.kdstream.student.drift.DriftWatch;

/**
 * The trainer's change detectors on stationary streams: how many times each fires on a million 0/1
 * errors drawn at a fixed rate, at its default sensitivity, as it fires in the trainer (rises only,
 * as {@link DriftWatch} reports them) and in all.
 */
@Command(name = "detectors", mixinStandardHelpOptions = true, sortOptions = false,
        description = "False detections of the trainer's change detectors (adwin, page-hinkley) at their default "
                + "sensitivity on stationary streams of --records 0/1 errors, at error rates 0.02-0.5, --runs seeds "
                + "each: detections of a rise (what the trainer reports) and of any change.",
        footer = {"", "Examples:", "  ./kd bench detectors", "  ./kd bench detectors --records 200000 --runs 2"})
public final class DetectorsBenchCommand implements Callable<Integer> {

    private static final double[] RATES = {0.02, 0.05, 0.1, 0.3, 0.5};

    @Spec
    CommandSpec spec;

    @Option(names = "--records", paramLabel = "N", defaultValue = "1000000",
            description = "Errors per stream (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Seeds per rate (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() {
        if (records < 1 || runs < 1) {
            throw new IllegalArgumentException("--records and --runs must be >= 1");
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(MachineInfo.describe());
        out.printf(Locale.ROOT, "%,d stationary 0/1 errors per stream, %d seeds per rate; detections: rises "
                + "(reported by the trainer) / any change%n", records, runs);
        out.printf(Locale.ROOT, "%-13s %s%n", "detector", "rate 0.02 | 0.05 | 0.1 | 0.3 | 0.5 (per seed: rises/all)");
        out.flush();
        for (final String name : new String[] {DriftWatch.ADWIN, DriftWatch.PAGE_HINKLEY}) {
            final Supplier<DriftDetector> make = DriftWatch.detectors(name);
            final StringBuilder line = new StringBuilder();
            int worst = 0;
            for (final double rate : RATES) {
                final StringBuilder cell = new StringBuilder();
                for (int seed = 0; seed < runs; seed++) {
                    final int[] fired = count(make.get(), rate, seed);
                    worst = Math.max(worst, fired[0]);
                    cell.append(seed == 0 ? "" : " ").append(fired[0]).append('/').append(fired[1]);
                }
                line.append(line.length() == 0 ? "" : " | ").append(cell);
            }
            out.printf(Locale.ROOT, "%-13s %s   (most rises in a stream: %d)%n", name, line, worst);
            out.flush();
        }
        return 0;
    }

    /** {rises, all detections} of {@code d} on {@link #records} errors at {@code rate}. */
    private int[] count(final DriftDetector d, final double rate, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed * 1_000 + Math.round(rate * 100));
        int rises = 0;
        int all = 0;
        for (int i = 0; i < records; i++) {
            final double before = d.estimation();
            if (d.update(random.nextDouble() < rate ? 1 : 0)) {
                all++;
                final double after = d.estimation();
                // as DriftWatch: a fall is no drift to report; Page-Hinkley here finds rises only and resets (NaN)
                rises += Double.isNaN(after) || after > before ? 1 : 0;
            }
        }
        return new int[] {rises, all};
    }
}
