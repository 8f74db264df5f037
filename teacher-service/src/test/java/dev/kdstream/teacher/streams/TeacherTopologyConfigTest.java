package dev.kdstream.teacher.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.config.KdConfig;

class TeacherTopologyConfigTest {

    private static Properties streamsConfig(final Map<String, String> overrides) {
        return TeacherTopology.streamsConfig(KdConfig.defaults().with(overrides));
    }

    @Test
    void exactlyOnceWithLargeProducerBatches() {
        final Properties p = streamsConfig(Map.of());
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.get("producer.batch.size")).isEqualTo(256 * 1024);
    }

    @Test
    void theUsersOwnBatchSizeWins() {
        final Properties p = streamsConfig(Map.of(KdConfig.KAFKA_PREFIX + "batch.size", "32768"));
        assertThat(p.get("batch.size")).isEqualTo("32768");
        assertThat(p).doesNotContainKey("producer.batch.size");
        final Properties prefixed = streamsConfig(Map.of(KdConfig.KAFKA_PREFIX + "producer.batch.size", "65536"));
        assertThat(prefixed.get("producer.batch.size")).isEqualTo("65536");
    }

    @Test
    void theGuaranteeIsNotTheUsersToChange() {
        final Properties p = streamsConfig(Map.of(KdConfig.KAFKA_PREFIX + "processing.guarantee", "at_least_once"));
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }

    /** What Kafka Streams itself makes of it: a restarted teacher resumes without waiting for a dead session. */
    @Test
    void aTeacherIsAStaticGroupMemberWithAShortSession() {
        final StreamsConfig config = new StreamsConfig(streamsConfig(Map.of("instance.id", "teacher-1",
                "bootstrap.servers", "localhost:9092")));
        final Map<String, Object> consumer = config.getMainConsumerConfigs("kd-teacher", "c", 0);
        assertThat(consumer.get("group.instance.id")).isEqualTo("teacher-1-0");
        assertThat(consumer.get("session.timeout.ms")).isEqualTo(10_000);
        // Streams' own under exactly-once; shorter ones get producers fenced across a broker restart
        assertThat(config.getProducerConfigs("p").get("transaction.timeout.ms")).isEqualTo(10_000);
    }
}
