package dev.kdstream.bench.drift;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.student.drift.DriftOutcomes;
import dev.kdstream.student.drift.DriftWatch;
import dev.kdstream.student.trainer.StudentPair;
import dev.kdstream.student.trainer.TeacherTrust;
import dev.kdstream.student.trainer.TrainerSetup;
import dev.kdstream.teacher.refresh.Lesson;
import dev.kdstream.teacher.refresh.Refresh;
import dev.kdstream.teacher.refresh.RefreshSchedule;

/**
 * One drifting stream through the teacher's annotation and the trainer's own code, without Kafka:
 * test-then-train in polls as {@code OnlineTrainer}, with its {@link DriftWatch} and, when asked,
 * its {@link TeacherTrust}, and, when asked, the teacher's refreshes after the first teacher_error
 * detection, on its {@link RefreshSchedule}: the labelled training records since collected, a
 * candidate trained on them when one is due, and swapped in (if better) as many records later as it
 * took milliseconds to train (the stream at 1,000 events/s; the live teacher trains in the
 * background while the stream goes on), its {@link Lesson} taught as it is. When the trust is on, the
 * trainer's fall-back to the baseline ({@link TeacherTrust#takeFallBack}). The ensemble annotates
 * each record as it comes (after the change, its changed features).
 * Counts, per labelled training record, who was right, to measure what the change cost and how long
 * it took to find and to recover.
 */
final class DriftRun {

    /** Records per trainer poll (the consumer's max.poll.records). */
    static final int POLL = 500;
    /** Labelled training records the accuracies after a detection are over (the issue's figure). */
    static final int AFTER = 20_000;
    private static final KdConfig DEFAULTS = KdConfig.defaults();
    /** As the teacher's {@code teacher.refresh.records}. */
    static final int REFRESH_RECORDS = DEFAULTS.getInt(ConfigKey.TEACHER_REFRESH_RECORDS);

    /**
     * @param teacherDelay  stream records from the change to the first teacher_error detection, -1 if none
     * @param studentDelay  ... to the first student_error detection, -1 if none
     * @param teacher       accuracy over the {@link #AFTER} labelled training records after the first detection
     * @param recovery      the distilled student's {@link DriftOutcomes.Model#recovery()}
     * @param falseAlarms   detections before the change
     * @param swapAt        stream records from the change to the first refreshed ensemble's swap, -1 if none
     * @param refreshMillis how long the first refresh trained, -1 if none
     */
    record Result(long teacherDelay, long studentDelay, double teacher, double distilled, double baseline,
                  long recovery, int falseAlarms, long swapAt, long refreshMillis) {
    }

    private TeacherEnsemble ensemble;
    private final boolean refreshing;
    /** Whether a refresh's lesson teaches its labels alone, without the refreshed ensemble's soft targets. */
    private final boolean labelsOnly;
    /** After the first teacher_error: the labelled training records since, for a refresh. */
    private List<double[]> collected;
    private final List<Integer> collectedLabels = new ArrayList<>();
    private final RefreshSchedule schedule = new RefreshSchedule(REFRESH_RECORDS);
    private TeacherEnsemble pending;
    /** The pending ensemble's lesson, taught when it is swapped in. */
    private Lesson lesson;
    private long swapIndex = -1;
    /** The first swap's stream index. */
    private long swappedAt = -1;
    private long refreshMillis = -1;
    private final TrainerSetup setup;
    private final boolean trusting;
    private final StudentPair pair;
    private final DriftWatch watch;
    private final TeacherTrust teacherTrust = new TeacherTrust(DEFAULTS.getInt(ConfigKey.METRICS_WINDOW));
    private final long at;
    /** Per labelled training record, by its stream index: teacher, distilled, baseline right. */
    private final DriftOutcomes outcomes = new DriftOutcomes();
    private long index;

    /**
     * @param refreshing whether the teacher refreshes its ensemble after the first teacher_error detection
     * @param labelsOnly whether a refresh's lesson teaches its labels alone
     */
    DriftRun(final TeacherEnsemble ensemble, final TrainerSetup setup, final boolean trusting, final boolean refreshing,
             final boolean labelsOnly, final String detector, final long at) {
        this.ensemble = ensemble;
        this.refreshing = refreshing;
        this.labelsOnly = labelsOnly;
        this.setup = setup;
        this.trusting = trusting;
        this.at = at;
        this.pair = StudentPair.fresh(setup, DEFAULTS.getInt(ConfigKey.STUDENT_BATCH_SIZE),
                DEFAULTS.getInt(ConfigKey.METRICS_WINDOW));
        // as OnlineTrainer: a rise of the teacher's errors withdraws the trust at once
        this.watch = new DriftWatch("bench", detector, signal -> {
            if (signal.equals(DriftEvent.TEACHER_ERROR)) {
                teacherTrust.teacherDrifted();
                if (this.refreshing && collected == null) {
                    collected = new ArrayList<>();
                    schedule.start();
                }
            }
        });
        pair.onScored((r, teacher, distilled, baseline) -> {
            watch.observe(r, teacher, distilled, baseline);
            if (r.labelled() && !r.holdout()) {
                outcomes.add(Long.parseLong(r.id().substring(r.id().lastIndexOf('#') + 1)), teacher == r.label(),
                        distilled == r.label(), baseline == r.label());
            }
        });
    }

    Result run(final FeatureStream stream) {
        final List<FeatureMessage> poll = new ArrayList<>(POLL);
        for (final FeatureMessage m : stream) {
            poll.add(m);
            if (poll.size() == POLL) {
                step(poll);
                poll.clear();
            }
        }
        if (!poll.isEmpty()) {
            step(poll);
        }
        return result();
    }

    private void step(final List<FeatureMessage> poll) {
        if (pending != null && index >= swapIndex) {
            ensemble = pending;
            pending = null;
            swappedAt = swappedAt < 0 ? index : swappedAt;
            // ahead of the stream's records: gathered, then taught at once, as the trainer does once all of it came
            final List<SoftTargetRecord> taught = labelsOnly ? withoutTeacher(lesson.records()) : lesson.records();
            pair.train(taught, pair.scale(taught));
            pair.rehearse();
            lesson = null;
        }
        final double t = setup.temperature();
        final double[][] x = new double[poll.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = poll.get(i).features();
        }
        final double[][] z = ensemble.logits(Nd4j.createFromArray(ensemble.manifest().scaler().transform(x)))
                .toDoubleMatrix();
        final List<SoftTargetRecord> records = new ArrayList<>(poll.size());
        for (int i = 0; i < x.length; i++) {
            final FeatureMessage m = poll.get(i);
            // the stream index rides in the id, for the listener
            final FeatureRecord f = new FeatureRecord(m.id() + "#" + index++, 0, m.features(), m.label(), m.split());
            records.add(SoftTargetRecord.of(f, z[i], Probabilities.softmax(z[i], t), t,
                    ensemble.manifest().versionId(), f.holdout() ? Selection.HOLDOUT : Selection.UNIFORM));
        }
        final float[][] scaled = pair.scale(records);
        final var e = pair.score(records, scaled);
        teacherTrust.settle(e);
        if (trusting) {
            pair.trust(teacherTrust.update(e));
            if (teacherTrust.takeFallBack() != null) {
                pair.distilledFromBaseline();
            }
        }
        pair.train(records, scaled);
        if (collected != null) {
            collect(poll);
        }
    }

    /** The lesson's records with their labels alone: how much of it is the teacher's, and how much repetition. */
    private static List<SoftTargetRecord> withoutTeacher(final List<SoftTargetRecord> lesson) {
        final List<SoftTargetRecord> out = new ArrayList<>(lesson.size());
        for (final SoftTargetRecord r : lesson) {
            out.add(new SoftTargetRecord(r.id(), r.ts(), r.features(), r.label(), r.split(), null, null,
                    r.temperature(), r.ensembleVersion(), Selection.REHEARSAL));
        }
        return out;
    }

    /** The teacher's side of a refresh: the labelled training records after the detection, then a candidate. */
    private void collect(final List<FeatureMessage> poll) {
        for (final FeatureMessage m : poll) {
            if (m.label() != null && !m.holdout() && collected.size() < schedule.capacity()) {
                collected.add(m.features());
                collectedLabels.add(m.label());
            }
        }
        // one refresh at a time, as the teacher's worker
        if (pending != null || !schedule.due(collected.size())) {
            return;
        }
        final Dataset window = new Dataset("recent", collected.toArray(new double[0][]),
                collectedLabels.stream().mapToInt(Integer::intValue).toArray(), ensemble.manifest().numClasses());
        final Refresh r = Refresh.of(ensemble, window, 1);
        refreshMillis = refreshMillis < 0 ? r.millis() : refreshMillis;
        if (r.better()) {
            pending = r.candidate();
            lesson = Lesson.of(pending, window, setup.temperature(), 0);
            // trained in the background while the stream goes on at 1,000 events/s: a record per millisecond
            swapIndex = index + r.millis();
        }
        schedule.ran(r.better());
    }

    private Result result() {
        long teacherAt = -1;
        long studentAt = -1;
        int falseAlarms = 0;
        for (final DriftEvent d : watch.pending()) {
            final long where = Long.parseLong(d.recordId().substring(d.recordId().lastIndexOf('#') + 1));
            if (where < at) {
                falseAlarms++;
            } else if (d.signal().equals(DriftEvent.TEACHER_ERROR) && teacherAt < 0) {
                teacherAt = where;
            } else if (d.signal().equals(DriftEvent.STUDENT_ERROR) && studentAt < 0) {
                studentAt = where;
            }
        }
        final long detected = teacherAt < 0 ? studentAt : studentAt < 0 ? teacherAt : Math.min(teacherAt, studentAt);
        final int first = outcomes.firstAtOrAfter(detected < 0 ? at : detected);
        final double[] after = outcomes.shares(first, Math.min(outcomes.size(), first + AFTER));
        return new Result(teacherAt < 0 ? -1 : teacherAt - at, studentAt < 0 ? -1 : studentAt - at, after[0],
                after[1], after[2], outcomes.model(DriftOutcomes.DISTILLED, at).recovery(), falseAlarms,
                swappedAt < 0 ? -1 : swappedAt - at, refreshMillis);
    }
}
