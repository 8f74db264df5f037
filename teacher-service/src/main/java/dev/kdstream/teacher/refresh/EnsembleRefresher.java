package dev.kdstream.teacher.refresh;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleFile;

/**
 * Keeps the ensemble the teacher annotates with, and refreshes it after a drift: from a detection
 * on, the labelled training records are collected; once {@code teacher.refresh.records} have come, a
 * candidate trains on them in the background ({@link Refresh}) and, if it beats the current ensemble
 * on their newest fifth, replaces it; then again on twice as many ({@link RefreshSchedule}). The annotators take the current
 * one at their next batch ({@link #current()}): a batch is annotated, and stamped, by one ensemble,
 * and a record is neither lost nor annotated twice by a swap, which only changes what the next batch
 * runs. The refreshed ensemble is saved next to the configured one (a restart goes back to the
 * configured file until it is pointed at the new one). With it comes its {@link Lesson}, the
 * window it learnt from annotated by it, which the first annotator to take it writes for the
 * trainer ({@link #takeLesson}).
 *
 * <p>On two cores the stream threads must keep theirs: one refresh at a time, on one thread (the
 * candidate is trained as one group of teachers, so the trainer's pool has one thread too), with ND4J
 * on one OpenMP thread as everywhere in kd-stream. It takes tens of seconds; the stream goes on with
 * the current ensemble meanwhile.
 */
public final class EnsembleRefresher implements AutoCloseable {

    public static final String SWAPPED = "swapped";
    public static final String KEPT = "kept";
    public static final String FAILED = "failed";

    private static final Logger LOG = LoggerFactory.getLogger(EnsembleRefresher.class);

    private final AtomicReference<TeacherEnsemble> current;
    /** The newest swapped-in ensemble's lesson, until an annotator takes it. */
    private final AtomicReference<Lesson> lesson = new AtomicReference<>();
    private final RecentLabelled recent;
    /** Guarded by {@code this}. */
    private final RefreshSchedule schedule;
    private final Path saveDir;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "teacher-refresh");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean collecting = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Counter swapped;
    private final Counter kept;
    private final Counter failed;
    private long seed = 1;
    /** Counts the drifts: a refresh moves the schedule of the drift it was started for only. Guarded by {@code this}. */
    private long generation;
    private volatile boolean closed;

    /**
     * @param records  labelled records after a detection a candidate learns from ({@code teacher.refresh.records})
     * @param saveDir  where a refreshed ensemble is saved, or null for nowhere
     */
    public EnsembleRefresher(final TeacherEnsemble initial, final int records, final Path saveDir,
                             final MeterRegistry registry) {
        this.current = new AtomicReference<>(initial);
        this.schedule = new RefreshSchedule(records);
        this.recent = new RecentLabelled(schedule.capacity());
        this.saveDir = saveDir;
        this.swapped = outcome(registry, SWAPPED);
        this.kept = outcome(registry, KEPT);
        this.failed = outcome(registry, FAILED);
    }

    private static Counter outcome(final MeterRegistry registry, final String outcome) {
        return Counter.builder(MetricNames.TEACHER_REFRESHES)
                .description("ensemble refreshes after a drift: swapped in, kept out (not better), failed")
                .tag(MetricNames.OUTCOME, outcome)
                .register(registry);
    }

    /** The ensemble to annotate with now. Thread-safe. */
    public TeacherEnsemble current() {
        return current.get();
    }

    /**
     * A drift was reported (and refreshes are on): collect the labelled records from here on for a
     * refresh. A refresh still training for an earlier drift finishes (swapped in if better), but
     * does not move this drift's schedule.
     */
    public synchronized void drifted() {
        recent.mark();
        schedule.start();
        generation++;
        collecting.set(true);
        LOG.info("refresh: collecting the labelled records from here on to retrain the ensemble on");
    }

    /** A labelled training record read (a stream thread): collected, and a refresh started once there are enough. */
    public void labelled(final double[] features, final int label) {
        if (!collecting.get()) {
            return;
        }
        recent.add(features, label);
        synchronized (this) {
            if (!closed && schedule.due(recent.sinceMark()) && running.compareAndSet(false, true)) {
                final TeacherEnsemble base = current.get();
                final Dataset window = recent.snapshot(base.manifest().numClasses(), "recent");
                final long of = generation;
                worker.submit(() -> refresh(base, window, of));
            }
        }
    }

    private void refresh(final TeacherEnsemble base, final Dataset window, final long of) {
        boolean better = false;
        try {
            final Refresh r = Refresh.of(base, window, seed++);
            better = r.better();
            if (closed) {
                return;
            }
            if (better) {
                // saved before any annotator copies its weights: DL4J networks are not to be read on two threads
                save(r.candidate());
                prepareLesson(r.candidate(), window);
                swapIn(r.candidate());
                LOG.info("refresh: ensemble {} swapped in for {} ({} ms): {} on the newest {} records, the old one {}",
                        r.candidate().manifest().versionId(), base.manifest().versionId(), r.millis(),
                        r.candidateAccuracy(), r.validationRecords(), r.currentAccuracy());
            } else {
                kept.increment();
                LOG.info("refresh: candidate kept out ({} ms): {} on the newest {} records, the current ensemble {}",
                        r.millis(), r.candidateAccuracy(), r.validationRecords(), r.currentAccuracy());
            }
        } catch (RuntimeException | Error e) {
            if (!closed) {
                failed.increment();
                LOG.error("refresh failed, the ensemble stays {}: {}", base.manifest().versionId(), e.getMessage(), e);
            }
        } finally {
            synchronized (this) {
                if (of == generation) {
                    schedule.ran(better);
                    collecting.set(schedule.due(Long.MAX_VALUE));
                }
            }
            running.set(false);
        }
    }

    /** {@code candidate} is the ensemble from the annotators' next batch on. */
    public void swapIn(final TeacherEnsemble candidate) {
        current.set(candidate);
        swapped.increment();
    }

    /**
     * The candidate's lesson, ready before the swap so that the first annotator to take it finds it.
     * Extra teaching: if it cannot be made, the better ensemble is swapped in without it.
     */
    private void prepareLesson(final TeacherEnsemble candidate, final Dataset window) {
        try {
            lesson.set(Lesson.of(candidate, window, candidate.manifest().temperature(), System.currentTimeMillis()));
        } catch (RuntimeException | OutOfMemoryError e) {
            lesson.set(null);
            LOG.warn("refresh: no lesson for {}, swapped in without one: {}", candidate.manifest().versionId(),
                    e.getMessage(), e);
        }
    }

    /**
     * The lesson of {@code taken}, the ensemble an annotator just took, if it has one and no other
     * annotator took it first: written once per refresh, by one task. Thread-safe.
     */
    public Lesson takeLesson(final TeacherEnsemble taken) {
        final Lesson l = lesson.get();
        return l != null && l.version().equals(taken.manifest().versionId()) && lesson.compareAndSet(l, null) ? l
                : null;
    }

    private void save(final TeacherEnsemble ensemble) {
        if (saveDir == null) {
            return;
        }
        final Path file = saveDir.resolve(ensemble.manifest().versionId().replace('+', '_') + ".kdm");
        try {
            EnsembleFile.save(ensemble, file);
            LOG.info("refresh: saved to {} (ensemble.file={} starts a teacher with it)", file, file);
        } catch (RuntimeException e) {
            LOG.warn("refresh: could not save {} to {}: {}", ensemble.manifest().versionId(), file, e.getMessage());
        }
    }

    /** Stops taking refreshes; one training now ends without swapping or saving anything. */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
    }
}
