package dev.kdstream.teacher.refresh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.kernel.Probabilities;

/**
 * What a refresh teaches the distilled student once its ensemble is swapped in: the window of
 * labelled records it learnt and was validated on, annotated by it, as {@link Selection#REHEARSAL}
 * records. A refreshed teacher that only annotates the stream from the swap on changes what the
 * student learns from then, not how fast: the student, stepping once per record, recovered no
 * faster with it (docs/benchmarks.md, "Drift"). The window is what the new concept is known by; the
 * trainer goes over it several times. Made on the refresher's thread, written by the first
 * annotator to take the ensemble.
 *
 * @param version the refreshed ensemble's version, which every record carries
 */
public record Lesson(String version, List<SoftTargetRecord> records) {

    /** The start of a rehearsal record's id; the rest is the ensemble's version, the lesson's time and the row. */
    public static final String ID_PREFIX = "rehearsal/";
    /** Rows per forward pass: the whole window at once would hold the ensemble's activations for 16,000 rows. */
    static final int CHUNK = 1024;

    /**
     * {@code window} (what {@code ensemble} learnt from) annotated by it at {@code temperature}, its
     * records stamped {@code ts}, which also makes their ids unique: another teacher instance, or
     * this one after a restart, may refresh to the same version.
     */
    public static Lesson of(final TeacherEnsemble ensemble, final Dataset window, final double temperature,
                            final long ts) {
        final String version = ensemble.manifest().versionId();
        final List<SoftTargetRecord> out = new ArrayList<>(window.size());
        for (int from = 0; from < window.size(); from += CHUNK) {
            final double[][] x = Arrays.copyOfRange(window.features(), from, Math.min(window.size(), from + CHUNK));
            final double[][] z = Refresh.logits(ensemble, x);
            for (int i = 0; i < z.length; i++) {
                final int row = from + i;
                final FeatureRecord f = new FeatureRecord(ID_PREFIX + version + "/" + ts + "/" + row, ts, x[i],
                        window.labels()[row], FeatureRecord.TRAIN);
                out.add(SoftTargetRecord.of(f, z[i], Probabilities.softmax(z[i], temperature), temperature, version,
                        Selection.REHEARSAL));
            }
        }
        return new Lesson(version, List.copyOf(out));
    }
}
