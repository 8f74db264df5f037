package dev.kdstream.contracts.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LiveSettingsTest {

    private static final LiveSettings SET = new LiveSettings(Map.of(
            "teacher.budget", "0.1",
            "student.learning.rate", "0.002",
            "student.learning.rate@small", "0.01",
            "distillation.alpha@small", "0.9",
            "distillation.alpha@small-b", "0.5"), "me@host");

    @Test
    void aTrainerTakesTheKeysSetForItOverTheKeysForAll() {
        assertThat(SET.forTrainer("small")).containsExactlyInAnyOrderEntriesOf(Map.of("teacher.budget", "0.1",
                "student.learning.rate", "0.01", "distillation.alpha", "0.9"));
        assertThat(SET.forTrainer("student")).containsExactlyInAnyOrderEntriesOf(Map.of("teacher.budget", "0.1",
                "student.learning.rate", "0.002"));
        assertThat(SET.forTrainer("small-b")).containsEntry("distillation.alpha", "0.5")
                .containsEntry("student.learning.rate", "0.002");
        assertThat(SET.global()).containsOnlyKeys("teacher.budget", "student.learning.rate");
        assertThat(SET.trainers()).containsExactly("small", "small-b");
    }

    @Test
    void onlyATrainersKeysMayBeSetForOneTrainer() {
        assertThatThrownBy(() -> new LiveSettings(Map.of("teacher.budget@small", "0.1"), ""))
                .hasMessageContaining("only distillation.temperature, distillation.alpha, student.learning.rate, "
                        + "student.weight.decay, distillation.trust can be set for one trainer");
        assertThatThrownBy(() -> new LiveSettings(Map.of("student.learning.rate@", "0.1"), ""))
                .hasMessageContaining("cannot be set live");
        assertThatThrownBy(() -> SET.with(Map.of("student.hidden", "8"), "me"))
                .hasMessageContaining("'student.hidden' cannot be set live");
    }

    @Test
    void survivesTheTopicAndRemovesAKeyForOneTrainer() {
        final LiveSettings read = LiveSettings.fromBytes(SET.toBytes());
        assertThat(read).isEqualTo(SET);
        final Map<String, String> unset = new HashMap<>();
        unset.put("distillation.alpha@small", null);
        assertThat(read.with(unset, "me").forTrainer("small")).doesNotContainKey("distillation.alpha");
        assertThatThrownBy(() -> LiveSettings.fromBytes("{\"settings\":{\"x@y\":\"1\"}}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("'x@y' cannot be set live");
    }
}
