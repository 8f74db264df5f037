package dev.kdstream.teacher.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import dev.kdstream.model.definition.DistillationLoss;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.MlpShape;
import dev.kdstream.model.definition.Networks;

class TeacherGroupLayoutTest {

    @Test
    void readsTheDefaultTeachersWithDropoutAfterTheFirstTwoHiddenLayers() {
        final Hyperparameters.Teacher t = Hyperparameters.defaults().teacher();
        final TeacherGroupLayout layout = TeacherGroupLayout.of(Networks.teacherGroup(20, 2, t, 6, 1));

        assertThat(layout.teachers()).isEqualTo(6);
        assertThat(layout.widths()).containsExactly(20, 256, 128, 64, 2);
        // dropout 0.3 "after a hidden layer" is DL4J's retain 0.7 on the input of the next one
        assertThat(layout.retain()).containsExactly(1.0, 0.7, 0.7, 1.0);
        assertThat(layout.adam()).isEqualTo(new Adam(1e-3));
        assertThat(layout.loss()).isEqualTo(DistillationLoss.hardLabelsOnly());
        assertThat(layout.layerName(5, 1)).isEqualTo("t5_h1");
        assertThat(layout.layerName(5, 3)).isEqualTo("t5");
        // 6 x (20*256+256 + 256*128+128 + 128*64+64 + 64*2+2) = 6 x 46,658, MlpShape's count per teacher
        assertThat(layout.layerParams(0) + layout.layerParams(1) + layout.layerParams(2) + layout.layerParams(3))
                .isEqualTo(6L * 46_658).isEqualTo(6L * MlpShape.of(20, t.hidden(), 2).parameterCount());
    }
}
