package dev.kdstream.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KdConfigTest {

    @TempDir
    Path dir;

    @Test
    void anEmptyKdConfigNamesNoFile() {
        // compose's `-e KD_CONFIG=` unsets a file the service would otherwise read
        assertThat(KdConfig.configFile(null, Map.of(KdConfig.CONFIG_FILE_ENV, ""))).isNull();
        assertThat(KdConfig.configFile(null, Map.of())).isNull();
        assertThat(KdConfig.configFile(null, Map.of(KdConfig.CONFIG_FILE_ENV, "/secure/a.properties")))
                .isEqualTo(Path.of("/secure/a.properties"));
        assertThat(KdConfig.configFile(Path.of("b"), Map.of(KdConfig.CONFIG_FILE_ENV, "a"))).isEqualTo(Path.of("b"));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        final KdConfig c = KdConfig.defaults();
        assertThat(c.get(ConfigKey.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
        assertThat(c.topics().checkpoints()).isEqualTo("student-checkpoints");
        assertThat(c.ensembleFile()).isEqualTo(Path.of(".kd/models", "ensemble.kdm"));
        assertThat(c.metricsPort(9401)).isEqualTo(9401);
        assertThat(ConfigKey.TOPIC_FEATURES_DLQ.env()).isEqualTo("KD_TOPIC_FEATURES_DLQ");
    }

    @Test
    void fileThenEnvironmentThenOverridesWin() throws IOException {
        final Path file = Files.writeString(dir.resolve("kd.properties"), String.join("\n",
                "bootstrap.servers=file:9092", "topic.features=file-features", "topic.predictions=file-predictions",
                "kafka.security.protocol=SSL", "kafka.acks=1"));
        final KdConfig c = KdConfig.load(file,
                Map.of("KD_TOPIC_FEATURES", "env-features", "KD_KAFKA_SASL_MECHANISM", "PLAIN", "HOME", "/root"),
                Map.of("topic.predictions", "flag-predictions"));
        assertThat(c.get(ConfigKey.BOOTSTRAP_SERVERS)).isEqualTo("file:9092");
        assertThat(c.topics().features()).isEqualTo("env-features");
        assertThat(c.topics().predictions()).isEqualTo("flag-predictions");
        assertThat(c.kafkaProperties())
                .containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("acks", "1")
                .doesNotContainKey("home");
    }

    @Test
    void withReplacesSomeKeysAndKeepsTheRest() {
        final KdConfig c = KdConfig.load(null, Map.of("KD_KAFKA_ACKS", "all"), Map.of("topic.features", "f"))
                .with(Map.of("metrics.port", "0"));
        assertThat(c.metricsPort(9401)).isZero();
        assertThat(c.topics().features()).isEqualTo("f");
        assertThat(c.kafkaProperties()).containsEntry("acks", "all");
    }

    @Test
    void badValuesAndFilesAreClearErrors() {
        final KdConfig c = KdConfig.load(null, Map.of("KD_TOPIC_PARTITIONS", "two"), Map.of());
        assertThatThrownBy(() -> c.getInt(ConfigKey.TOPIC_PARTITIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic.partitions (KD_TOPIC_PARTITIONS) must be an integer, got 'two'");
        assertThatThrownBy(() -> KdConfig.load(dir.resolve("missing.properties"), Map.of(), Map.of()))
                .hasMessageContaining("config file not found");
    }

    @Test
    void metricsListenOnLoopbackUnlessToldOtherwise() {
        assertThat(KdConfig.defaults().metricsAddress(9401).getAddress().isLoopbackAddress()).isTrue();
        assertThat(KdConfig.defaults().metricsAddress(9401).getPort()).isEqualTo(9401);
        final KdConfig everywhere = KdConfig.load(null, Map.of("KD_METRICS_BIND", "0.0.0.0"), Map.of());
        assertThat(everywhere.metricsAddress(9401).getAddress().isAnyLocalAddress()).isTrue();
        final KdConfig named = KdConfig.load(null, Map.of("KD_METRICS_BIND", "example.com"), Map.of());
        assertThatThrownBy(() -> named.metricsAddress(9401))
                .hasMessageContaining("metrics.bind (KD_METRICS_BIND) must be an IP address");
    }
}
