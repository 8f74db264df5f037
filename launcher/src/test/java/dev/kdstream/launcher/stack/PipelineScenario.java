package dev.kdstream.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.kafka.DeadLetters;

/**
 * The end-to-end contract of the data path, against whatever broker a subclass provides: M valid
 * records in give exactly M soft targets (read_committed) and predictions for all M ids, each from
 * a real student version; K invalid records give exactly K dead letters with their reasons.
 */
abstract class PipelineScenario {

    private static final int VALID = 600;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path stateDir;

    abstract String bootstrapServers();

    @Test
    void everyValidRecordIsAnnotatedAndAnsweredAndEveryInvalidOneDeadLettered() throws Exception {
        final Dataset data = PipelineFixture.data();
        final KdConfig config = PipelineFixture.config(bootstrapServers(), stateDir, "pipeline");
        try (Pipeline pipeline = PipelineFixture.start(config, PipelineFixture.ensemble(data))) {
            final List<String> first = PipelineFixture.produceValid(config, data, 0, VALID / 2);
            final Map<String, String> invalid = PipelineFixture.produceInvalid(config);
            final List<String> second = PipelineFixture.produceValid(config, data, VALID / 2, VALID / 2);
            final Set<String> valid = new HashSet<>(first);
            valid.addAll(second);

            final var softTargets = PipelineFixture.readUntil(config, config.topics().softTargets(),
                    read -> read.size() >= VALID, TIMEOUT);
            assertThat(softTargets).hasSize(VALID);
            assertThat(softTargets.stream().map(PipelineFixture::key).toList()).containsExactlyInAnyOrderElementsOf(valid);

            final var predictions = PipelineFixture.readUntil(config, config.topics().predictions(),
                    read -> read.stream().map(PipelineFixture::key).distinct().count() >= VALID, TIMEOUT);
            final Map<String, Long> versions = new HashMap<>();
            for (final ConsumerRecord<byte[], byte[]> r : predictions) {
                final JsonNode p = Json.MAPPER.readTree(r.value());
                assertThat(p.path("id").asText()).isEqualTo(PipelineFixture.key(r));
                assertThat(p.path("modelVersion").asLong()).as("model version of %s", p.path("id")).isPositive();
                versions.merge(p.path("id").asText(), p.path("modelVersion").asLong(), Math::max);
            }
            assertThat(versions.keySet()).containsExactlyInAnyOrderElementsOf(valid);
            assertThat(predictions.size()).isGreaterThanOrEqualTo(VALID);

            final var deadLetters = PipelineFixture.readUntil(config, config.topics().featuresDlq(),
                    read -> read.size() >= invalid.size(), TIMEOUT);
            assertThat(deadLetters).hasSize(invalid.size());
            final Map<String, String> reasons = new HashMap<>();
            for (final ConsumerRecord<byte[], byte[]> r : deadLetters) {
                reasons.put(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8),
                        PipelineFixture.header(r, DeadLetters.REASON));
                assertThat(PipelineFixture.header(r, DeadLetters.SOURCE_TOPIC)).isEqualTo(config.topics().features());
                assertThat(PipelineFixture.header(r, DeadLetters.SOURCE_OFFSET)).isNotBlank();
            }
            assertThat(reasons).isEqualTo(invalid);
        }
    }
}
