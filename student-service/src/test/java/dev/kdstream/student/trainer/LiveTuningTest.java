package dev.kdstream.student.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.ControlMeters;
import dev.kdstream.contracts.control.ControlReader;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.model.definition.Hyperparameters;

class LiveTuningTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Hyperparameters own = Hyperparameters.defaults()
            .withDistillation(new Hyperparameters.Distillation(2.0, 0.5));
    private LiveTuning tuning;

    LiveTuningTest() {
        // started with its own T: a T for all does not move it
        tuning = new LiveTuning("small", own, true, Set.of("distillation.temperature"),
                new ControlMeters(registry, MetricNames.TRAINER, () -> tuning.version()));
    }

    private static ControlReader.Entry entry(final long version, final Map<String, String> settings) {
        return new ControlReader.Entry(version, 0, new LiveSettings(settings, "me").toBytes());
    }

    private double refused(final String reason) {
        return registry.get(MetricNames.CONTROL_REFUSED).tag(MetricNames.PART, MetricNames.TRAINER)
                .tag(MetricNames.REASON, reason).counter().count();
    }

    @Test
    void takesTheSettingsForItOverItsOwnAndBackToThemWhenNoneAreSet() {
        assertThat(tuning.version()).isEqualTo(LiveTuning.CONFIGURED);
        assertThat(tuning.versionHeader()).isNull();

        assertThat(tuning.take(entry(3, Map.of("student.learning.rate", "0.002", "distillation.alpha@small", "0.9",
                "distillation.alpha@other", "0.1", "teacher.budget", "0.2", "distillation.temperature", "9")))).isTrue();
        assertThat(tuning.current().student().learningRate()).isEqualTo(0.002);
        assertThat(tuning.current().distillation()).isEqualTo(new Hyperparameters.Distillation(2.0, 0.9));
        assertThat(tuning.version()).isEqualTo(3);
        assertThat(new String(tuning.versionHeader(), StandardCharsets.UTF_8)).isEqualTo("3");
        assertThat(tuning.take(entry(4, Map.of("distillation.temperature@small", "5")))).isTrue();
        assertThat(tuning.current().distillation().temperature()).as("set for it").isEqualTo(5.0);

        assertThat(tuning.take(entry(5, Map.of("distillation.temperature@small", "5", "teacher.budget", "0.5"))))
                .as("another service's change").isFalse();
        assertThat(tuning.version()).isEqualTo(5);

        assertThat(tuning.take(entry(6, Map.of("distillation.trust@small", "false")))).isTrue();
        assertThat(tuning.trusting()).isFalse();
        assertThat(tuning.take(entry(7, Map.of("distillation.trust", "maybe")))).as("refused").isFalse();

        assertThat(tuning.take(new ControlReader.Entry(8, 0, null))).as("a tombstone: its own again").isTrue();
        assertThat(tuning.trusting()).isTrue();
        assertThat(tuning.current()).isEqualTo(own);
        assertThat(tuning.version()).isEqualTo(8);
        assertThat(registry.get(MetricNames.CONTROL_VERSION).tag(MetricNames.PART, MetricNames.TRAINER).gauge()
                .value()).isEqualTo(8);
    }

    @Test
    void aTrustTheTrainerWasStartedWithoutMovesOnlyForIt() {
        final LiveTuning pinned = new LiveTuning("small", own, false, StudentTuning.setIn(
                KdConfig.defaults().with(Map.of("distillation.trust", "false"))),
                new ControlMeters(new SimpleMeterRegistry(), MetricNames.TRAINER, () -> 0));
        assertThat(pinned.take(entry(0, Map.of("distillation.trust", "true")))).isFalse();
        assertThat(pinned.trusting()).isFalse();
        assertThat(pinned.take(entry(1, Map.of("distillation.trust@small", "true")))).isTrue();
        assertThat(pinned.trusting()).isTrue();
    }

    @Test
    void refusesWhatItCannotTakeAndChangesNothing() {
        tuning.take(entry(0, Map.of("distillation.temperature@small", "4")));
        assertThat(tuning.take(entry(1, Map.of("distillation.temperature@small", "-4")))).isFalse();
        assertThat(tuning.take(new ControlReader.Entry(2, 0, "{not json".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(tuning.current().distillation().temperature()).isEqualTo(4.0);
        assertThat(tuning.version()).isZero();
        assertThat(refused(ControlMeters.INVALID)).isEqualTo(1);
        assertThat(refused(ControlMeters.MALFORMED)).isEqualTo(1);
    }
}
