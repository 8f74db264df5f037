package dev.kdstream.student.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.drift.Adwin;
import dev.kdstream.model.drift.DriftDetector;
import dev.kdstream.model.drift.PageHinkley;

/**
 * The trainer's change detectors, one per signal, fed with each scored training record's predictions:
 * the distilled student's errors and the ensemble's on labelled records, and the two's disagreement
 * on unlabelled ones (where only the teacher can say what changed); a rise is reported, a fall (a
 * student learning) is not. Holdout records are not watched. A detection is a {@link DriftEvent}
 * kept until the trainer publishes it with its next checkpoint, a counter, and a log line. Not
 * thread-safe: the trainer thread's.
 */
public final class DriftWatch {

    public static final String ADWIN = "adwin";
    public static final String PAGE_HINKLEY = "page-hinkley";

    private static final Logger LOG = LoggerFactory.getLogger(DriftWatch.class);

    private final String trainerId;
    private final String detectorName;
    private final DriftDetector studentError;
    private final DriftDetector teacherError;
    private final DriftDetector disagreement;
    private final Consumer<String> detected;
    private final List<DriftEvent> pending = new ArrayList<>();

    /**
     * @param detector {@link #ADWIN} or {@link #PAGE_HINKLEY}
     * @param detected told the signal of every detection (the counter)
     */
    public DriftWatch(final String trainerId, final String detector, final Consumer<String> detected) {
        this.trainerId = trainerId;
        this.detectorName = detector;
        final Supplier<DriftDetector> make = detectors(detector);
        this.studentError = make.get();
        this.teacherError = make.get();
        this.disagreement = make.get();
        this.detected = detected;
    }

    /**
     * The detectors of {@code name}, one per call.
     *
     * @throws IllegalArgumentException naming the key for anything but {@link #ADWIN} or {@link #PAGE_HINKLEY}
     */
    public static Supplier<DriftDetector> detectors(final String name) {
        return switch (name) {
            case ADWIN -> Adwin::new;
            case PAGE_HINKLEY -> PageHinkley::forErrors;
            default -> throw new IllegalArgumentException(ConfigKey.DRIFT_DETECTOR.key() + " ("
                    + ConfigKey.DRIFT_DETECTOR.env() + ") must be " + ADWIN + " or " + PAGE_HINKLEY + ", got '"
                    + name + "'");
        };
    }

    /**
     * One scored record: what the ensemble and the distilled student predicted for it (-1 for the
     * ensemble when the record has no teacher output); the baseline's answer is not watched.
     */
    public void observe(final SoftTargetRecord r, final int teacher, final int distilled, final int baseline) {
        if (r.holdout()) {
            // a measuring slice, sent in blocks (after each pass in ./kd stack): its error rate differs from
            // the training records', and the blocks would read as changes
            return;
        }
        if (r.labelled()) {
            watch(studentError, DriftEvent.STUDENT_ERROR, distilled != r.label(), r);
            if (teacher >= 0) {
                watch(teacherError, DriftEvent.TEACHER_ERROR, teacher != r.label(), r);
            }
        } else if (teacher >= 0) {
            watch(disagreement, DriftEvent.DISAGREEMENT, teacher != distilled, r);
        }
    }

    private void watch(final DriftDetector d, final String signal, final boolean one, final SoftTargetRecord r) {
        final double before = d.estimation();
        if (!d.update(one ? 1 : 0)) {
            return;
        }
        final double after = d.estimation();
        if (!Double.isNaN(after) && after <= before) {
            // ADWIN finds any change of the mean: fewer errors (a student learning) is not a drift to report.
            // Page-Hinkley here finds rises only, and forgets everything when it fires (NaN).
            return;
        }
        final DriftEvent e = new DriftEvent(trainerId, signal, detectorName, d.seen(), r.id(), r.ts(), before, after,
                System.currentTimeMillis(), r.ensembleVersion());
        pending.add(e);
        detected.accept(signal);
        LOG.warn(String.format(Locale.ROOT, "trainer %s: drift in %s at record %s (value %,d of this signal): "
                + "%.3f before, %.3f since (%s)", trainerId, signal, r.id(), d.seen(), before, after, detectorName));
    }

    /** The detections not yet published, oldest first. */
    public List<DriftEvent> pending() {
        return List.copyOf(pending);
    }

    /** Forgets the first {@code n} pending detections: they were published. */
    public void published(final int n) {
        pending.subList(0, n).clear();
    }
}
