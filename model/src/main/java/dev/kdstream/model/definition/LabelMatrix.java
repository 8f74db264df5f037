package dev.kdstream.model.definition;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.model.kernel.StudentOptimizer;

/** Builds the {@code [soft targets | one-hot]} label rows that {@link DistillationLoss} reads. */
public final class LabelMatrix {

    /** Marks a record without a label: its one-hot half stays zero. */
    public static final int UNLABELLED = StudentOptimizer.UNLABELLED;

    private LabelMatrix() {
    }

    /**
     * @param soft   soft targets, one row per record (null: zeros, for hard-label-only training)
     * @param labels class index per record, or {@link #UNLABELLED}
     */
    public static INDArray of(final float[][] soft, final int[] labels, final int classes) {
        final float[][] rows = new float[labels.length][2 * classes];
        for (int i = 0; i < labels.length; i++) {
            if (soft != null) {
                System.arraycopy(soft[i], 0, rows[i], 0, classes);
            }
            if (labels[i] != UNLABELLED) {
                rows[i][classes + labels[i]] = 1f;
            }
        }
        return Nd4j.createFromArray(rows);
    }

    /** Hard labels only (the soft half is zero). */
    public static INDArray hard(final int[] labels, final int classes) {
        return of(null, labels, classes);
    }
}
