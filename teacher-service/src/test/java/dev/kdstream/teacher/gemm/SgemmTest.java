package dev.kdstream.teacher.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SgemmTest {

    /** [[1, 2, 3], [4, 5, 6]] times [[1, 0], [0, 1], [1, 1]] is [[4, 5], [10, 11]]. */
    private static final float[][] A = {{1, 2, 3}, {4, 5, 6}};
    private static final float[][] B = {{1, 0}, {0, 1}, {1, 1}};
    private static final float[][] PRODUCT = {{4, 5}, {10, 11}};

    @Test
    void multipliesColumnAndRowMajorOperandsAlike() {
        for (final char orderA : new char[] {'c', 'f'}) {
            for (final char orderB : new char[] {'c', 'f'}) {
                final INDArray c = Nd4j.create(DataType.FLOAT, new long[] {2, 2}, 'f');
                Sgemm.gemm(matrix(A, orderA), false, matrix(B, orderB), false, c, 1f, 0f);
                assertThat(c.toFloatMatrix()).as("A %s, B %s", orderA, orderB).isEqualTo(PRODUCT);
            }
        }
    }

    @Test
    void transposesWhereAskedAndScalesAndAccumulates() {
        final INDArray aT = matrix(A, 'c').transpose().dup('c');
        final INDArray bT = matrix(B, 'f').transpose().dup('f');
        final INDArray c = Nd4j.ones(DataType.FLOAT, 2, 2).dup('f');
        Sgemm.gemm(aT, true, bT, true, c, 2f, 1f);
        assertThat(c.toFloatMatrix()).isEqualTo(new float[][] {{9, 11}, {21, 23}});
    }

    @Test
    void writesIntoAColumnBlockOfALargerMatrixAndLeavesTheRestAlone() {
        final INDArray whole = Nd4j.create(DataType.FLOAT, new long[] {2, 6}, 'f').assign(-1);
        final INDArray block = whole.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 4));
        Sgemm.gemm(matrix(A, 'c'), false, matrix(B, 'f'), false, block, 1f, 0f);
        assertThat(whole.toFloatMatrix()).isEqualTo(new float[][] {{-1, -1, 4, 5, -1, -1}, {-1, -1, 10, 11, -1, -1}});
    }

    @Test
    void readsARowBlockOfARowMajorMatrix() {
        final INDArray rows = Nd4j.createFromArray(new float[][] {{9, 9, 9}, {1, 2, 3}, {4, 5, 6}, {9, 9, 9}});
        final INDArray c = Nd4j.create(DataType.FLOAT, new long[] {2, 2}, 'f');
        Sgemm.gemm(rows.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all()), false, matrix(B, 'f'), false, c, 1f, 0f);
        assertThat(c.toFloatMatrix()).isEqualTo(PRODUCT);
    }

    @Test
    void refusesWhatItCannotReadAsItIs() {
        final INDArray c = Nd4j.create(DataType.FLOAT, new long[] {2, 2}, 'f');
        final INDArray rowBlockOfColumnMajor = Nd4j.create(DataType.FLOAT, new long[] {4, 3}, 'f')
                .get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertThat(Sgemm.readable(rowBlockOfColumnMajor)).isFalse();
        assertThatThrownBy(() -> Sgemm.gemm(rowBlockOfColumnMajor, false, matrix(B, 'f'), false, c, 1f, 0f))
                .hasMessageContaining("A is not contiguous");
        assertThatThrownBy(() -> Sgemm.gemm(matrix(A, 'c').castTo(DataType.DOUBLE), false, matrix(B, 'f'), false, c, 1f, 0f))
                .hasMessageContaining("A must be a FLOAT matrix");
        assertThatThrownBy(() -> Sgemm.gemm(matrix(A, 'c'), false, matrix(A, 'f'), false, c, 1f, 0f))
                .hasMessageContaining("shapes do not multiply");
        assertThatThrownBy(() -> Sgemm.gemm(matrix(A, 'c'), false, matrix(B, 'f'), false, matrix(PRODUCT, 'c'), 1f, 0f))
                .hasMessageContaining("C must be column-major");
    }

    private static INDArray matrix(final float[][] values, final char order) {
        return Nd4j.createFromArray(values).dup(order);
    }
}
