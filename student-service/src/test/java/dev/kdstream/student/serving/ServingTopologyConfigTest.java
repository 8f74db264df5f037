package dev.kdstream.student.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;

class ServingTopologyConfigTest {

    private static Properties streamsConfig(final Map<String, String> overrides) {
        return ServingTopology.streamsConfig(KdConfig.defaults().with(overrides));
    }

    @Test
    void atLeastOnceByDefaultSendsAtOnceAndCommitsEverySecond() {
        final Properties p = streamsConfig(Map.of());
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        assertThat(p.get("producer.linger.ms")).isEqualTo("1");
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("1000");
    }

    @Test
    void exactlyOnceOnRequestWithKafkasCommitInterval() {
        final Properties p = streamsConfig(Map.of(ConfigKey.SERVER_GUARANTEE.key(), "exactly_once_v2"));
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p).doesNotContainKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        assertThat(p).doesNotContainKey("producer.linger.ms");
    }

    @Test
    void theUsersOwnKafkaSettingsWin() {
        final Properties p = streamsConfig(Map.of(ConfigKey.SERVER_GUARANTEE.key(), "at_least_once",
                KdConfig.KAFKA_PREFIX + "linger.ms", "7", KdConfig.KAFKA_PREFIX + "commit.interval.ms", "250"));
        assertThat(p.get("linger.ms")).isEqualTo("7");
        assertThat(p).doesNotContainKey("producer.linger.ms");
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("250");
    }

    @Test
    void anUnknownGuaranteeIsAClearError() {
        assertThatThrownBy(() -> streamsConfig(Map.of(ConfigKey.SERVER_GUARANTEE.key(), "exactly_once")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server.processing.guarantee")
                .hasMessageContaining("KD_SERVER_PROCESSING_GUARANTEE")
                .hasMessageContaining("got 'exactly_once'");
    }
}
