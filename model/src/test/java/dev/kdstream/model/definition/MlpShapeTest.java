package dev.kdstream.model.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MlpShapeTest {

    private final Hyperparameters hp = Hyperparameters.defaults();

    @Test
    void seedParameterCounts() {
        assertThat(MlpShape.of(20, hp.teacher().hidden(), 2).parameterCount()).isEqualTo(46_658);
        assertThat(MlpShape.of(20, hp.student().hidden(), 2).parameterCount()).isEqualTo(3_490);
        assertThat(MlpShape.of(20, hp.student().hidden(), 2)).hasToString("20-64-32-2");
    }

    @Test
    void countsAgreeWithDl4j() {
        assertThat(Networks.student(20, 2, hp.student(), DistillationLoss.hardLabelsOnly(), 1).numParams())
                .isEqualTo(3_490);
        assertThat(Networks.teacherGroup(20, 2, hp.teacher(), 6, 1).numParams()).isEqualTo(6 * 46_658);
        assertThat(Networks.student(64, 10, hp.student(), DistillationLoss.hardLabelsOnly(), 1).numParams())
                .isEqualTo(MlpShape.of(64, hp.student().hidden(), 10).parameterCount());
    }
}
