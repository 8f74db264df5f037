package dev.kdstream.teacher.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LogitRowsTest {

    @Test
    void logitRowsKeepTheirOrderWhateverTheArraysLayout() {
        final double[][] expected = {{1, 2}, {3, 4}, {5, 6}};
        assertThat(LogitRows.of(Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}}), 3, 2))
                .isDeepEqualTo(expected);
        // a transposed view is column-major underneath
        final INDArray view = Nd4j.createFromArray(new float[][] {{1, 3, 5}, {2, 4, 6}}).transpose();
        assertThat(LogitRows.of(view, 3, 2)).isDeepEqualTo(expected);
    }
}
