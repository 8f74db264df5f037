package dev.kdstream.teacher.inference;

import org.nd4j.linalg.api.ndarray.INDArray;

/** An [n x classes] matrix of logits as Java rows, for the per-record maths that follows. */
public final class LogitRows {

    private LogitRows() {
    }

    /**
     * One bulk copy out of ND4J, in either storage order: {@code INDArray.toDoubleMatrix()} copies
     * element by element, one native call each, which costs more than the forward pass itself.
     */
    public static double[][] of(final INDArray logits, final int n, final int classes) {
        final float[] flat = logits.reshape('c', new long[] {(long) n * classes}).toFloatVector();
        final double[][] rows = new double[n][classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                rows[i][c] = flat[i * classes + c];
            }
        }
        return rows;
    }
}
