package dev.kdstream.client.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.embedded.CommittedRecords;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import picocli.CommandLine;

/** The producer against a real (embedded) broker. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ProducerServiceIT {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void useSharedBroker(final EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    private static KdConfig config(final String prefix) {
        return KdConfig.defaults().with(Map.of(
                ConfigKey.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
                ConfigKey.TOPIC_FEATURES.key(), prefix + "-features",
                ConfigKey.TOPIC_SOFT_TARGETS.key(), prefix + "-soft-targets",
                ConfigKey.TOPIC_PREDICTIONS.key(), prefix + "-predictions",
                ConfigKey.TOPIC_CHECKPOINTS.key(), prefix + "-checkpoints",
                ConfigKey.TOPIC_FEATURES_DLQ.key(), prefix + "-features-dlq"));
    }

    private static void createTopics(final KdConfig config) {
        TopicAdmin.ensureTopics(config.kafkaProperties(), config.topics(), 2, (short) 1);
    }

    private static FeatureStream stream(final int rows, final StreamOptions options) {
        final double[][] x = new double[rows][];
        final int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = new double[] {i, -i, 0.25, 1e-3 * i};
            y[i] = i % 3;
        }
        return FeatureStream.of(new Dataset("it", x, y, 3), options);
    }

    /** Every committed record of the topic, read to its end. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(final KdConfig config, final String topic,
                                                               final int expected) {
        return CommittedRecords.atLeast(expected, config.kafkaProperties(), topic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), Duration.ofSeconds(60), Duration.ofMillis(500));
    }

    @Test
    void sendsEveryRecordOnceAtTheRate() throws Exception {
        final KdConfig config = config("rate");
        createTopics(config);
        final FeatureStream stream = stream(250, StreamOptions.defaults().withRepeat(4).withLabelledFraction(0.5));
        final Set<String> expectedIds = new HashSet<>();
        stream.forEach(m -> expectedIds.add(m.id()));

        final ProduceSummary summary;
        final List<ProducerProgress> reports = new ArrayList<>();
        try (ServiceMetrics metrics = new ServiceMetrics(ProducerService.SERVICE);
             ProducerService service = ProducerService.start(config, stream, 2000, metrics, reports::add)) {
            summary = service.awaitCompletion(Duration.ofSeconds(60));
            assertThat(metrics.registry().scrape()).contains("kafka_producer_record_send_total",
                    "kd_producer_ack_latency_seconds_count{service=\"producer\"} 1000");
        }

        assertThat(summary).isNotNull();
        assertThat(summary.successful()).isTrue();
        assertThat(summary.acked()).isEqualTo(1000);
        // the 1000th permit falls due 999/2000 s after the start: a pacer can only be late, never early
        assertThat(summary.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(490));
        assertThat(reports).isNotEmpty();

        final List<ConsumerRecord<byte[], byte[]>> records = readAll(config, config.topics().features(), 1000);
        assertThat(records).hasSize(1000);
        final FeatureParser parser = new FeatureParser(4, 3, 262_144);
        final Set<String> ids = new HashSet<>();
        int unlabelled = 0;
        for (final ConsumerRecord<byte[], byte[]> r : records) {
            final FeatureRecord f = parser.parse(r.value(), r.timestamp());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(f.id());
            assertThat(f.ts()).isEqualTo(r.timestamp());
            ids.add(f.id());
            unlabelled += f.labelled() ? 0 : 1;
        }
        assertThat(ids).isEqualTo(expectedIds);
        assertThat(unlabelled).isEqualTo(500);
    }

    @Test
    void aMissingTopicFailsTheRunWithTheReason() throws Exception {
        // no topics created; a short max.block.ms so the metadata wait gives up quickly
        final KdConfig config = config("missing").with(Map.of("kafka.max.block.ms", "1500"));

        final ProduceSummary summary;
        try (ServiceMetrics metrics = new ServiceMetrics(ProducerService.SERVICE);
             ProducerService service = ProducerService.start(config, stream(50, StreamOptions.defaults()), 0, metrics,
                     null)) {
            summary = service.awaitCompletion(Duration.ofSeconds(60));
        }

        assertThat(summary).isNotNull();
        assertThat(summary.successful()).isFalse();
        assertThat(summary.sent()).isZero();
        assertThat(summary.firstError()).contains("missing-features");
    }

    @Test
    void theProduceCommandCreatesTheTopicsSendsAndSumsUp(@TempDir final Path dir) throws Exception {
        final Path properties = dir.resolve("kd.properties");
        Files.writeString(properties, String.join("\n",
                "topic.features=cmd-features", "topic.soft-targets=cmd-soft-targets",
                "topic.predictions=cmd-predictions", "topic.checkpoints=cmd-checkpoints",
                "topic.features-dlq=cmd-features-dlq", "topic.partitions=3", ""));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = new CommandLine(new ProduceCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        final int code = cmd.execute("--config", properties.toString(), "--bootstrap-servers",
                broker.bootstrapServers(), "--count", "6000", "--labelled-fraction", "0.25", "--no-metrics", "-q");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("created topics cmd-features", "records sent:   6000",
                "acknowledged:   6000", "failed:         0");
        final KdConfig config = KdConfig.defaults().with(Map.of(ConfigKey.BOOTSTRAP_SERVERS.key(),
                broker.bootstrapServers()));
        final List<ConsumerRecord<byte[], byte[]>> records = readAll(config, "cmd-features", 6000);
        assertThat(records).hasSize(6000);
        // the default data: 4000 training records, the 1000 holdout records, then the second pass
        final FeatureParser parser = new FeatureParser(20, 2, 262_144);
        final long holdout = records.stream().map(r -> parser.parse(r.value(), 0)).filter(FeatureRecord::holdout)
                .count();
        assertThat(holdout).isEqualTo(1000);
    }
}
