package dev.kdstream.student.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;

/** Two trainers with one id: the one started last publishes, the other is fenced and told why. */
@ExtendWith(EmbeddedKafkaExtension.class)
class CheckpointWriterIT {

    @Test
    void aSecondTrainerWithTheSameIdFencesTheFirst(final EmbeddedKafkaBroker broker) {
        final KdConfig config = KdConfig.defaults().with(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                ConfigKey.TOPIC_CHECKPOINTS.key(), "fencing-it-checkpoints",
                ConfigKey.TOPIC_FEATURES.key(), "fencing-it-features",
                ConfigKey.TOPIC_SOFT_TARGETS.key(), "fencing-it-soft-targets",
                ConfigKey.TOPIC_PREDICTIONS.key(), "fencing-it-predictions",
                ConfigKey.TOPIC_FEATURES_DLQ.key(), "fencing-it-features-dlq"));
        TopicAdmin.ensureTopics(config);
        try (CheckpointWriter first = new CheckpointWriter(config, "twin")) {
            first.publish(checkpoint(1));
            try (CheckpointWriter second = new CheckpointWriter(config, "twin")) {
                assertThatThrownBy(() -> first.publish(checkpoint(2)))
                        .isInstanceOf(TrainerFencedException.class)
                        .hasMessageContaining("another trainer with trainer.id 'twin' started");
                second.publish(checkpoint(2));
            }
        }
        assertThat(CheckpointStore.all(config, "twin")).extracting(StudentCheckpoint::version)
                .as("read committed: the fenced trainer's second checkpoint is not there").containsExactly(1L, 2L);
    }

    private static StudentCheckpoint checkpoint(final long version) {
        return new StudentCheckpoint("twin", version, version * 10, Map.of(0, version * 10), "e1",
                System.currentTimeMillis(), new byte[] {1}, new byte[] {2});
    }
}
