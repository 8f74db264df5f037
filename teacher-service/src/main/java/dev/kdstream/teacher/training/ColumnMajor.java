package dev.kdstream.teacher.training;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Column-major matrices over flat buffers. In 'f' order a column block of an [n x B*width] matrix
 * is one contiguous [n x width] matrix, so a teacher's GEMMs read and write its block in place.
 */
final class ColumnMajor {

    private ColumnMajor() {
    }

    /** An [rows x cols] column-major view of a flat (rank 1) buffer, from {@code offset}. */
    static INDArray matrix(final INDArray flat, final long offset, final long rows, final long cols) {
        return flat.get(NDArrayIndex.interval(offset, offset + rows * cols)).reshape('f', rows, cols);
    }

    /** Columns {@code [t*width, (t+1)*width)} of {@code m}: teacher t's block. */
    static INDArray block(final INDArray m, final int t, final int width) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval((long) t * width, (long) (t + 1) * width));
    }

    /** The blocks of all {@code teachers}, in order. */
    static INDArray[] blocks(final INDArray m, final int teachers, final int width) {
        final INDArray[] blocks = new INDArray[teachers];
        for (int t = 0; t < teachers; t++) {
            blocks[t] = block(m, t, width);
        }
        return blocks;
    }

    /** The native buffer of a (non-view) array as floats, to read and write it from Java. */
    static FloatBuffer floats(final INDArray a) {
        return a.data().asNioFloat();
    }
}
