package dev.kdstream.client.query;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kdstream.contracts.config.KdConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./kd query}: looks up the student's predictions on the {@code predictions} topic. */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Prints predictions from the predictions topic: the newest one for a record id, the last N, or each "
                    + "one as it arrives.",
            "",
            "One line per prediction: record id, predicted class and its probability, the label when the record "
                    + "had one, split, the student version that served it, and the latency from event time to "
                    + "serving. Reads committed records only, without a consumer group."},
        footer = {"", "Examples:",
            "  ./kd query                       # the last 10 predictions",
            "  ./kd query --id p0-1207",
            "  ./kd query --last 50 --json",
            "  ./kd query --follow              # until Ctrl-C",
            "  ./kd query --last 5 --follow     # the last 5, then each new one",
            "  ./kd query --shadow --last 5     # what the shadow students answered"})
public final class QueryCommand implements Callable<Integer> {

    static final int DEFAULT_LAST = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID",
            description = "Scan the topic for this record id and print its newest prediction (exit 1 if none).")
    String id;

    @Option(names = "--last", paramLabel = "N",
            description = "Print the last N predictions across partitions, newest last (default: " + DEFAULT_LAST
                    + ", or 0 with --follow).")
    Integer last;

    @Option(names = {"-f", "--follow"}, description = "Print each new prediction as it arrives, until Ctrl-C.")
    boolean follow;

    @Option(names = "--json", description = "Print each prediction's raw JSON value, one per line.")
    boolean json;

    @Option(names = "--shadow", description = "Read the shadow students' predictions (topic shadow-predictions: "
            + "every record answered by each student the server runs in the served one's shadow) instead.")
    boolean shadow;

    @Mixin
    ReaderOptions options;

    @Override
    public Integer call() {
        if (id != null && (last != null || follow)) {
            throw new IllegalArgumentException("--id looks up one record: it does not combine with --last or --follow");
        }
        if (last != null && (last < 0 || last == 0 && !follow)) {
            throw new IllegalArgumentException("--last must be >= 1, got " + last);
        }
        final Duration timeout = options.timeout();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final KdConfig config = options.config();
        try (PredictionReader reader = new PredictionReader(config, shadow)) {
            if (id != null) {
                return printNewest(reader, timeout, out, err);
            }
            final int n = last != null ? last : follow ? 0 : DEFAULT_LAST;
            if (n > 0) {
                final List<StoredPrediction> found = reader.last(n, timeout);
                found.forEach(p -> print(out, p));
                out.flush();
                if (found.isEmpty() && !follow) {
                    err.println("no predictions on topic " + reader.topic() + " yet");
                    err.flush();
                }
            }
            if (follow) {
                followUntilStopped(reader, out);
            }
            return 0;
        }
    }

    private int printNewest(final PredictionReader reader, final Duration timeout, final PrintWriter out,
                            final PrintWriter err) {
        final PredictionReader.Search search = reader.find(id, timeout);
        final String incomplete = search.complete() ? ""
                : " (the scan timed out after " + timeout.toSeconds() + " s, after " + search.scanned()
                        + " records; raise --timeout)";
        if (search.newest() == null) {
            err.println("no prediction for id " + id + " on topic " + reader.topic() + incomplete);
            err.flush();
            return 1;
        }
        print(out, search.newest());
        out.flush();
        if (!incomplete.isEmpty()) {
            err.println("newest found so far" + incomplete);
            err.flush();
        }
        return 0;
    }

    /** Ctrl-C wakes the consumer; the hook waits until the main thread has closed it. */
    private void followUntilStopped(final PredictionReader reader, final PrintWriter out) {
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            reader.wakeup();
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kd-query-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            reader.follow(p -> {
                print(out, p);
                out.flush();
            });
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: nothing to remove
            }
        }
    }

    private void print(final PrintWriter out, final StoredPrediction p) {
        out.println(json ? p.json() : PredictionFormat.line(p));
    }
}
