package dev.kdstream.client.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.records.SoftTargetCodec;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import picocli.CommandLine;

/** {@code ./kd soft-targets} against the binary topic, written in transactions as the teacher writes it. */
@ExtendWith(EmbeddedKafkaExtension.class)
class SoftTargetsCommandIT {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void writeSoftTargets(final EmbeddedKafkaBroker shared) {
        broker = shared;
        final KdConfig config = KdConfig.defaults().with(Map.of(ConfigKey.BOOTSTRAP_SERVERS.key(),
                broker.bootstrapServers()));
        TopicAdmin.ensureTopics(config.kafkaProperties(), config.topics(), 1, (short) 1);
        final Properties p = config.kafkaProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "soft-targets-it");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            // one transaction per record: markers between them, as the teacher's commits leave
            for (final byte[] value : List.of(
                    SoftTargetCodec.encode(softTarget("a")),
                    "{\"id\":\"b\",\"softTargets\":[0.5,0.5]}".getBytes(StandardCharsets.UTF_8),
                    new byte[] {1, 2, 3},
                    SoftTargetCodec.encode(softTarget("c")))) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(config.topics().softTargets(), "key", value));
                producer.commitTransaction();
            }
        }
    }

    private static SoftTargetRecord softTarget(final String id) {
        return new SoftTargetRecord(id, 5, new double[] {1.5, -2}, 1, "train", new double[] {-1, 1},
                new double[] {0.25, 0.75}, 3, "ens-1");
    }

    private record Run(int code, List<String> lines, String err) {
    }

    private static Run softTargets(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = new CommandLine(new SoftTargetsCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            err.write(e.getMessage());
            return 2;
        });
        final int code = cmd.execute(args);
        return new Run(code, out.toString().isBlank() ? List.of() : List.of(out.toString().strip().split("\\R")),
                err.toString());
    }

    @Test
    void printsTheNewestAsJsonReadingPastTheMarkersAndNamingWhatItCannotRead() throws Exception {
        final Run run = softTargets("--bootstrap-servers", broker.bootstrapServers(), "--last", "3");
        assertThat(run.code()).isZero();
        assertThat(run.lines()).hasSize(3);
        assertThat(run.lines().get(0)).as("an earlier version's JSON, as it is")
                .isEqualTo("{\"id\":\"b\",\"softTargets\":[0.5,0.5]}");
        assertThat(Json.MAPPER.readTree(run.lines().get(1)).get("error").asText()).as("three bytes: not a record")
                .contains("ends early");
        final JsonNode c = Json.MAPPER.readTree(run.lines().get(2));
        assertThat(c.get("id").asText()).isEqualTo("c");
        assertThat(c.get("softTargets").get(1).asDouble()).isEqualTo(0.75);
        assertThat(c.get("features").get(0).asDouble()).isEqualTo(1.5);
    }

    @Test
    void aBrokerThatIsNotThereIsAClearError() {
        final Run run = softTargets("--bootstrap-servers", "localhost:1", "--timeout", "2");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("cannot reach Kafka at localhost:1");
    }
}
