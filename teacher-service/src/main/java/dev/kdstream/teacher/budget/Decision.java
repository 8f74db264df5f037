package dev.kdstream.teacher.budget;

import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.served.ServedStudent;

/**
 * What the teacher does with one valid record: annotate it (and why), pass it on for its label
 * alone, or leave it out; and the served student's class for it when the sampler wants to know
 * whether the student agrees with the ensemble. The one rule the annotator and the budget's
 * benchmark both follow.
 *
 * @param selection    why it is written, or null for a record left out (nothing written)
 * @param studentClass the served student's class when the sampler wants agreement, else -1
 */
public record Decision(Selection selection, int studentClass) {

    private static final Decision LEFT_OUT = new Decision(null, -1);
    private static final Decision HOLDOUT = new Decision(Selection.HOLDOUT, -1);
    private static final Decision ALL = new Decision(Selection.UNIFORM, -1);
    private static final Decision LABEL_ONLY = new Decision(Selection.LABEL_ONLY, -1);
    /** A record left out, passed on all the same because its label may come later ({@link #passedOn()}). */
    private static final Decision UNANNOTATED = new Decision(Selection.UNANNOTATED, -1);

    /**
     * Holdout records always annotated; under a budget, the sampler's choice; a labelled record it
     * does not choose passed on, an unlabelled one left out. The student's forward pass runs only
     * when the sampler looks at it, or wants agreement on a record it chose uniformly.
     *
     * @param student the served student, if it takes this record's features and classes; else null
     */
    public static Decision of(final TeacherBudget budget, final Sampler sampler, final FeatureRecord record,
                              final ServedStudent student) {
        if (record.holdout()) {
            return HOLDOUT;
        }
        if (budget.everything()) {
            return ALL;
        }
        double[] p = student != null && sampler.looksAtStudent() ? student.probabilities(record.features()) : null;
        final Selection chosen = sampler.choose(record.id(), p);
        if (chosen == null) {
            return record.labelled() ? LABEL_ONLY : LEFT_OUT;
        }
        if (chosen == Selection.UNIFORM && student != null && sampler.wantsAgreement()) {
            p = p != null ? p : student.probabilities(record.features());
            return new Decision(chosen, Probabilities.argmax(p));
        }
        return new Decision(chosen, -1);
    }

    public boolean leftOut() {
        return selection == null;
    }

    /**
     * This decision where late labels are joined: a record left out is passed on unannotated, so a
     * label for it on {@code labels} finds it; the others as they are.
     */
    public Decision passedOn() {
        return leftOut() ? UNANNOTATED : this;
    }

    /**
     * The record as the teacher writes it: with the ensemble's soft targets if it was annotated (and
     * then the sampler is told whether the student agreed), else label-only.
     *
     * @param teacherLogits the ensemble's logits, null for a record passed on
     */
    public SoftTargetRecord output(final FeatureRecord record, final double[] teacherLogits, final Sampler sampler,
                                   final double temperature, final String ensembleVersion) {
        if (teacherLogits == null) {
            return selection == Selection.UNANNOTATED ? SoftTargetRecord.unannotated(record, temperature, ensembleVersion)
                    : SoftTargetRecord.labelOnly(record, temperature, ensembleVersion);
        }
        if (studentClass >= 0) {
            sampler.agreed(studentClass == Probabilities.argmax(teacherLogits));
        }
        return SoftTargetRecord.of(record, teacherLogits, Probabilities.softmax(teacherLogits, temperature),
                temperature, ensembleVersion, selection);
    }
}
