package dev.kdstream.student.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.config.KdConfig;

class CheckpointScheduleTest {

    private final CheckpointSchedule schedule = new CheckpointSchedule(100, 5_000, 64);

    @Test
    void nothingConsumedMeansNoCheckpointHoweverLongItWas() {
        assertThat(schedule.due(0, 60_000, true)).isFalse();
        assertThat(schedule.due(0, 60_000, false)).isFalse();
    }

    @Test
    void recordsOrTimeWhicheverComesFirst() {
        assertThat(schedule.due(99, 4_999, true)).isFalse();
        assertThat(schedule.due(100, 0, true)).isTrue();
        assertThat(schedule.due(1, 5_000, true)).isTrue();
    }

    @Test
    void theFirstCheckpointComesEarly() {
        assertThat(schedule.due(63, 10, false)).isFalse();
        assertThat(schedule.due(64, 10, false)).isTrue();
        assertThat(schedule.due(64, 10, true)).isFalse();
    }

    @Test
    void fromConfigurationTheFirstComesAfterOneMicroBatch() {
        assertThat(CheckpointSchedule.of(KdConfig.defaults())).isEqualTo(new CheckpointSchedule(5_000, 5_000, 64));
        assertThat(CheckpointSchedule.of(KdConfig.defaults().with(Map.of("checkpoint.every.records", "10",
                "checkpoint.every.seconds", "2")))).isEqualTo(new CheckpointSchedule(10, 2_000, 10));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> CheckpointSchedule.of(KdConfig.defaults().with(Map.of("checkpoint.every.seconds",
                "0")))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint.every.seconds");
        assertThatThrownBy(() -> new CheckpointSchedule(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint.every.records");
    }
}
