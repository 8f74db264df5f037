package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kdstream.model.definition.Hyperparameters;

class StudentTuningTest {

    private static final Hyperparameters DEFAULTS = Hyperparameters.defaults();

    @Test
    void laysTheSetKeysOverTheBaseAndLeavesTheRest() {
        final Hyperparameters hp = StudentTuning.apply(DEFAULTS, Map.of("student.hidden", "16, 8",
                "distillation.temperature", "2", "student.learning.rate", "0.002", "distillation.alpha", " ",
                "teacher.budget", "0.1"));
        assertThat(hp.student().hidden()).containsExactly(16, 8);
        assertThat(hp.student().learningRate()).isEqualTo(0.002);
        assertThat(hp.student().weightDecay()).isEqualTo(DEFAULTS.student().weightDecay());
        assertThat(hp.distillation()).isEqualTo(new Hyperparameters.Distillation(2.0, DEFAULTS.distillation().alpha()));
        assertThat(hp.teacher()).isEqualTo(DEFAULTS.teacher());
        assertThat(StudentTuning.apply(DEFAULTS, Map.of())).isEqualTo(DEFAULTS);
    }

    @Test
    void refusesWhatIsNotANumberOrOutOfRangeNamingTheKey() {
        for (final Map.Entry<String, String> bad : List.of(Map.entry("distillation.alpha", "1.5"),
                Map.entry("distillation.temperature", "0"), Map.entry("student.learning.rate", "fast"),
                Map.entry("student.weight.decay", "-1"), Map.entry("student.hidden", "8,x"),
                Map.entry("student.hidden", "0"), Map.entry("distillation.temperature", "NaN"),
                Map.entry("student.learning.rate", "1e-50"), Map.entry("student.learning.rate", "1e39"),
                Map.entry("student.weight.decay", "1e39"))) {
            assertThatThrownBy(() -> StudentTuning.apply(DEFAULTS, Map.ofEntries(bad)))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.getKey() + "=" + bad.getValue());
        }
        assertThatThrownBy(() -> StudentTuning.apply(DEFAULTS, Map.of("student.hidden", "0")))
                .hasMessageContaining("hidden widths must be >= 1");
        assertThatThrownBy(() -> StudentTuning.apply(DEFAULTS, Map.of("student.learning.rate", "1e-50")))
                .hasMessageContaining("within float range");
    }
}
