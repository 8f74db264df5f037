package dev.kdstream.launcher.stack;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

import dev.kdstream.client.produce.ProducerService;
import dev.kdstream.student.metrics.Accuracies;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.trainer.TrainerStatus;

/**
 * The live status line of {@code ./kd stack}: events/s per stage, lag, the three accuracies and
 * knowledge recovered, once a second; and the test for "the stream has gone all the way through".
 */
final class StackStatus {

    private static final long TICK_MILLIS = 1_000;
    /** Off a terminal (CI, logs) one line every this many ticks. */
    private static final int LOG_EVERY_TICKS = 5;

    private final Pipeline pipeline;
    private final ProducerService producer;
    private final long total;
    private final Backlog backlog;
    private final boolean interactive = System.console() != null;

    private long lastProduced;
    private Pipeline.Counts last = new Pipeline.Counts(0, 0, 0, 0);
    private long peakThroughput;
    /** Whether any stage moved during the last tick. */
    private boolean moved;

    /** @param backlog what the teacher and the server take from earlier runs before this run's records */
    StackStatus(final Pipeline pipeline, final ProducerService producer, final long total, final Backlog backlog) {
        this.pipeline = pipeline;
        this.producer = producer;
        this.total = total;
        this.backlog = backlog;
    }

    long peakThroughput() {
        return peakThroughput;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    Backlog backlog() {
        return backlog;
    }

    /**
     * Every record produced has been annotated, trained on and answered: the teacher and the server
     * have taken this run's records and what an earlier run left them, the trainer what the teacher wrote and has
     * nothing left to read (it also trains again on what came after its checkpoint, so its count
     * alone could pass first).
     */
    boolean drained() {
        final long acked = producer.acked();
        final Pipeline.Counts c = pipeline.counts();
        return !producer.running() && c.taught() >= acked + backlog.unannotated()
                && c.predicted() >= acked + backlog.unanswered() && c.trained() >= Math.min(acked, c.written())
                && pipeline.trainerLag() == 0;
    }

    /**
     * Prints status until the stream is drained, or {@code durationSeconds} pass (then the producer
     * is stopped and what was sent drains).
     *
     * @return true when everything produced went all the way through
     */
    boolean runUntilDone(final PrintWriter out, final Long durationSeconds) throws InterruptedException {
        final long start = System.nanoTime();
        int tick = 0;
        boolean stoppedEarly = false;
        long idleSince = -1;
        while (!drained()) {
            Thread.sleep(TICK_MILLIS);
            tick++;
            final String line = line(tick);
            if (interactive) {
                out.print("\r" + line);
            } else if (tick % LOG_EVERY_TICKS == 0) {
                out.println(line);
            }
            out.flush();
            if (!stoppedEarly && durationSeconds != null && (System.nanoTime() - start) / 1e9 > durationSeconds) {
                producer.close();
                stoppedEarly = true;
            }
            pipeline.requireTrainerAlive();
            // a stage that stops moving for a minute after the producer finished is reported, not waited on forever
            if (!producer.running()) {
                idleSince = moved ? -1 : idleSince < 0 ? tick : idleSince;
                if (idleSince >= 0 && tick - idleSince > 60) {
                    out.println();
                    out.println("kd stack: nothing moved for 60 s; some records did not go all the way through");
                    return false;
                }
            }
        }
        if (interactive) {
            out.println("\r" + line(tick + 1));
        }
        return !stoppedEarly;
    }

    private String line(final int tick) {
        final long produced = producer.sent();
        final Pipeline.Counts now = pipeline.counts();
        // one tick a second: the increase is the rate
        final Pipeline.Counts rate = now.minus(last);
        final long rateProduced = produced - lastProduced;
        moved = rateProduced + rate.sum() > 0;
        peakThroughput = Math.max(peakThroughput, rate.predicted());
        lastProduced = produced;
        last = now;
        final TrainerStatus t = pipeline.trainer().status();
        final Evaluation e = t.evaluation();
        final Accuracies acc = e.holdoutRecords() > 0 ? e.holdout() : e.window();
        return String.format(Locale.ROOT,
                "%4ds %3.0f%% | ev/s produce %,6d teacher %,6d train %,6d serve %,6d |%s lag %,7d | v%-4d | "
                        + "%s (last %,d) acc teacher %s distilled %s baseline %s | recovered %s ",
                tick, 100.0 * produced / Math.max(1, total), rateProduced, rate.taught(), rate.trained(),
                rate.predicted(), waitingOn(pipeline.notRunning()),
                Math.max(0, produced - Math.min(now.trained(), now.predicted())), t.version(),
                e.holdoutRecords() > 0 ? "holdout" : "preq.", acc.records(), pct(acc.teacher()), pct(acc.distilled()),
                pct(acc.baseline()), acc.recovered().brief());
    }

    /**
     * What stages at 0 records/s are waiting on, e.g. {@code " waiting: teacher rebalancing |"}: after a
     * restart the services rejoin their groups and restore state before they process a record, and a
     * line of zeros alone reads as a stall.
     */
    static String waitingOn(final Map<String, String> notRunning) {
        if (notRunning.isEmpty()) {
            return "";
        }
        final StringBuilder s = new StringBuilder(" waiting:");
        notRunning.forEach((service, state) -> s.append(' ').append(service).append(' ').append(state).append(','));
        s.setLength(s.length() - 1);
        return s.append(" |").toString();
    }

    private static String pct(final double v) {
        return Double.isNaN(v) ? "  -   " : String.format(Locale.ROOT, "%5.1f%%", 100 * v);
    }

}
