package dev.kdstream.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import dev.kdstream.student.trainer.TrainerStatus;

/**
 * Stop the trainer mid-stream and start it again: it resumes from its newest checkpoint (versions
 * and records trained continue, nothing is read twice beyond one interval) and predictions keep
 * flowing for records sent after the restart.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerRestartIT {

    @TempDir
    Path stateDir;

    @Test
    void aRestartedTrainerResumesFromItsCheckpoint(final EmbeddedKafkaBroker broker) throws Exception {
        final Dataset data = PipelineFixture.data();
        final KdConfig config = PipelineFixture.config(broker.bootstrapServers(), stateDir, "restart");
        try (Pipeline pipeline = PipelineFixture.start(config, PipelineFixture.ensemble(data))) {
            final List<String> before = PipelineFixture.produceValid(config, data, 0, 400);
            // version >= 1, not more: when the trainer's first poll finds all 400 soft targets
            // at once, one checkpoint covers them and no second one is due
            await(pipeline, () -> pipeline.trainer().status().recordsTrained() >= 400
                    && pipeline.trainer().status().version() >= 1, "trainer to take the first 400 records");
            final TrainerStatus stopped = pipeline.trainer().status();

            pipeline.restartTrainer();
            await(pipeline, () -> pipeline.trainer().status().state() == TrainerStatus.State.RUNNING, "trainer to restart");
            final TrainerStatus resumed = pipeline.trainer().status();
            // a clean stop writes one last checkpoint, so the new trainer starts from it
            assertThat(resumed.version()).as("version restored from the checkpoint")
                    .isBetween(stopped.version(), stopped.version() + 1);

            final List<String> after = PipelineFixture.produceValid(config, data, 400, 300);
            await(pipeline, () -> pipeline.trainer().status().version() > stopped.version(), "a checkpoint after restart");
            await(pipeline, () -> pipeline.trainer().status().recordsTrained() >= 700, "trainer to take all 700");
            final TrainerStatus end = pipeline.trainer().status();
            // offsets continued from the checkpoint: at most one checkpoint interval read again
            assertThat(end.recordsTrained()).isBetween(700L, 700L + 100);

            final Set<String> all = new HashSet<>(before);
            all.addAll(after);
            final var predictions = PipelineFixture.readUntil(config, config.topics().predictions(),
                    read -> read.stream().map(PipelineFixture::key).distinct().count() >= all.size(),
                    Duration.ofSeconds(120));
            assertThat(predictions.stream().map(PipelineFixture::key).distinct().toList())
                    .containsExactlyInAnyOrderElementsOf(all);
        }
    }

    /** Fails with the trainer's status, so a timeout says where the pipeline stood. */
    private static void await(final Pipeline pipeline, final BooleanSupplier condition, final String what)
            throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; trainer: " + pipeline.trainer().status()
                        + ", teacher healthy: " + pipeline.teacher().healthy());
            }
            Thread.sleep(100);
        }
    }
}
