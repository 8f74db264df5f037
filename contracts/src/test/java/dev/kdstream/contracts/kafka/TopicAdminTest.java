package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.config.KdConfig;

class TopicAdminTest {

    @Test
    void refusesZeroPartitionsWithTheSettingsToChange() {
        // no broker at this address: the check comes before any connection
        final Properties unreachable = new Properties();
        unreachable.put("bootstrap.servers", "localhost:1");
        assertThatThrownBy(() -> TopicAdmin.ensureTopics(unreachable, KdConfig.defaults().topics(), 0, (short) 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0 and 1")
                .hasMessageContaining("KD_TOPIC_PARTITIONS")
                .hasMessageContaining("--partitions");
    }
}
