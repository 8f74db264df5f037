package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.config.KdConfig;

class StreamsDefaultsTest {

    private static Properties staticMember(final Map<String, String> overrides) {
        final KdConfig config = KdConfig.defaults().with(overrides);
        final Properties p = config.kafkaProperties();
        StreamsDefaults.staticMembership(p, config);
        return p;
    }

    @Test
    void anInstanceIsAStaticMemberWithShortSessions() {
        final Properties p = staticMember(Map.of("instance.id", "teacher-2"));
        assertThat(p.get("group.instance.id")).isEqualTo("teacher-2");
        assertThat(p.get("main.consumer.session.timeout.ms")).isEqualTo(10_000);
        assertThat(p.get("main.consumer.heartbeat.interval.ms")).isEqualTo(500);
        assertThat(p).doesNotContainKey("producer.transaction.timeout.ms");
    }

    @Test
    void theDefaultIdIsStableAndDiffersPerStateDirectory() {
        final Object a = staticMember(Map.of("state.dir", "/tmp/a")).get("group.instance.id");
        assertThat(staticMember(Map.of("state.dir", "/tmp/a")).get("group.instance.id")).isEqualTo(a);
        assertThat(staticMember(Map.of("state.dir", "/tmp/b")).get("group.instance.id")).isNotEqualTo(a);
        assertThat((String) a).matches("[A-Za-z0-9._-]+");
    }

    @Test
    void theUsersOwnSettingsWin() {
        final Properties p = staticMember(Map.of("kafka.group.instance.id", "mine", "kafka.session.timeout.ms", "30000",
                "kafka.consumer.heartbeat.interval.ms", "1000"));
        assertThat(p.get("group.instance.id")).isEqualTo("mine");
        assertThat(p).doesNotContainKeys("main.consumer.session.timeout.ms", "main.consumer.heartbeat.interval.ms");
    }
}
