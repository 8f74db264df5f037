package dev.kdstream.client.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.Prediction;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import picocli.CommandLine;

/** {@code ./kd query} against predictions written the way the server writes them: in transactions. */
@ExtendWith(EmbeddedKafkaExtension.class)
class QueryCommandIT {

    private static final long T0 = 1_700_000_000_000L;

    private static EmbeddedKafkaBroker broker;
    private static KdConfig config;

    @BeforeAll
    static void writePredictions(final EmbeddedKafkaBroker shared) {
        broker = shared;
        config = KdConfig.defaults().with(Map.of(ConfigKey.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers()));
        TopicAdmin.ensureTopics(config.kafkaProperties(), config.topics(), 2, (short) 1);
        // p0-1 twice: served by version 1, then again by version 2 (a later pass, a newer model)
        write(config, List.of(
                prediction("p0-0", 0, 0.91, 1, 0, "train", 10),
                prediction("p0-1", 1, 0.55, 1, 0, "train", 20),
                prediction("h0-0", 1, 0.80, 1, 1, "holdout", 30),
                prediction("p0-1", 0, 0.77, 2, 0, "train", 40),
                prediction("p0-2", 1, 0.66, 2, null, "train", 50),
                prediction("h0-1", 0, 0.99, 2, 1, "holdout", 60)));
    }

    /** Served {@code servedAfter} ms after T0, 7 ms after its event time. */
    private static Prediction prediction(final String id, final int predicted, final double p, final long version,
                                         final Integer label, final String split, final long servedAfter) {
        final double[] probabilities = predicted == 1 ? new double[] {1 - p, p} : new double[] {p, 1 - p};
        return new Prediction(id, T0 + servedAfter - 7, predicted, probabilities, version, "ens-1", label, split,
                T0 + servedAfter, "student");
    }

    /** One transaction per record, so the partitions hold commit markers between the records. */
    private static void write(final KdConfig target, final List<Prediction> predictions) {
        final Topic<String, Prediction> topic = Topics.of(target.topics()).predictions();
        final Properties p = target.kafkaProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "query-it");
        try (KafkaProducer<String, Prediction> producer = new KafkaProducer<>(p, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.initTransactions();
            for (final Prediction prediction : predictions) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic.name(), null, prediction.servedAt(), prediction.id(),
                        prediction));
                producer.commitTransaction();
            }
        }
    }

    private record Run(int code, String out, String err) {
        List<String> lines() {
            return out.isBlank() ? List.of() : List.of(out.strip().split("\\R"));
        }
    }

    private static Run query(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = new CommandLine(new QueryCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        final String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-servers";
        all[1] = broker.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(cmd.execute(all), out.toString(), err.toString());
    }

    @Test
    void lastPrintsTheNewestAcrossPartitionsNewestLast() {
        final Run run = query("--last", "2");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(0)).startsWith("p0-2 ").contains("class=1", "p=0.660", "label=-", "model=v2",
                "latency=7 ms");
        assertThat(run.lines().get(1)).startsWith("h0-1 ").contains("class=0", "p=0.990", "label=1 (wrong)",
                "split=holdout");
    }

    @Test
    void lastReadsPastTheTransactionMarkers() {
        // six records and six commit markers over two partitions: "end minus N" alone finds fewer than N
        final Run run = query("--last", "6");

        assertThat(run.code()).isZero();
        assertThat(run.lines()).extracting(l -> l.split("\\s+")[0])
                .containsExactly("p0-0", "p0-1", "h0-0", "p0-1", "p0-2", "h0-1");
    }

    @Test
    void theDefaultIsTheLastTenAndJsonIsTheRawValue() throws Exception {
        final Run run = query("--json");

        assertThat(run.code()).isZero();
        assertThat(run.lines()).hasSize(6);
        final Prediction last = Json.MAPPER.readValue(run.lines().get(5), Prediction.class);
        assertThat(last.id()).isEqualTo("h0-1");
        assertThat(last.servedAt()).isEqualTo(T0 + 60);
    }

    @Test
    void idPrintsTheNewestPredictionForThatRecord() {
        final Run run = query("--id", "p0-1");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(1);
        assertThat(run.lines().get(0)).startsWith("p0-1 ").contains("class=0", "p=0.770", "label=0 (correct)",
                "model=v2");
    }

    @Test
    void anUnknownIdExitsOneWithAClearMessage() {
        final Run run = query("--id", "p9-999", "--timeout", "20");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("no prediction for id p9-999");
    }

    @Test
    void contradictoryOptionsAreRefused() {
        final CommandLine cmd = new CommandLine(new QueryCommand());
        cmd.setErr(new PrintWriter(new StringWriter(), true));
        final Exception[] thrown = new Exception[1];
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            thrown[0] = e;
            return 1;
        });
        assertThat(cmd.execute("--id", "x", "--last", "3")).isEqualTo(1);
        assertThat(thrown[0]).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--id");
    }

    @Test
    void aMissingTopicIsAClearError() {
        final Exception[] thrown = new Exception[1];
        final CommandLine cmd = new CommandLine(new QueryCommand());
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            thrown[0] = e;
            return 1;
        });
        final KdConfig missing = config.with(Map.of(ConfigKey.TOPIC_PREDICTIONS.key(), "no-such-topic"));

        assertThat(cmd.execute("--bootstrap-servers", broker.bootstrapServers(), "--timeout", "10",
                "--config", writeConfig(missing).toString())).isEqualTo(1);
        assertThat(thrown[0]).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic no-such-topic does not exist");
    }

    private static java.nio.file.Path writeConfig(final KdConfig c) {
        try {
            final java.nio.file.Path file = java.nio.file.Files.createTempFile("kd-query-it", ".properties");
            java.nio.file.Files.writeString(file, ConfigKey.TOPIC_PREDICTIONS.key() + "="
                    + c.get(ConfigKey.TOPIC_PREDICTIONS) + "\n");
            file.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void followHandsOverEachNewPrediction() throws Exception {
        // a topic of its own, so the other tests' "last N" stay the same
        final KdConfig followConfig = config.with(Map.of(ConfigKey.TOPIC_PREDICTIONS.key(), "follow-predictions"));
        TopicAdmin.ensureTopics(followConfig.kafkaProperties(), followConfig.topics(), 2, (short) 1);
        final List<StoredPrediction> seen = new CopyOnWriteArrayList<>();
        try (PredictionReader reader = new PredictionReader(followConfig)) {
            final Thread follower = new Thread(() -> reader.follow(seen::add), "follower");
            follower.start();
            // records written after the follow started: retry until the follower is positioned
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int written = 0;
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                write(followConfig, List.of(prediction("f0-" + written++, 1, 0.6, 3, 1, "train", 100)));
                Thread.sleep(300);
            }
            reader.wakeup();
            follower.join(30_000);
            assertThat(follower.isAlive()).isFalse();
        }
        assertThat(seen).isNotEmpty().allSatisfy(s -> {
            assertThat(s.prediction().id()).startsWith("f0-");
            assertThat(PredictionFormat.line(s)).contains("model=v3");
        });
    }
}
