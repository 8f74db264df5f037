package dev.kdstream.launcher.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.secure.BrokerSecurity;
import dev.kdstream.launcher.Kd;
import dev.kdstream.launcher.stack.Pipeline;
import dev.kdstream.launcher.stack.PipelineFixture;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.student.serving.ServingService;
import dev.kdstream.teacher.TeacherService;
import picocli.CommandLine;

/**
 * The whole pipeline on a secured broker (SASL_SSL, SCRAM-SHA-512, ACLs), each service as its own
 * principal with only the ACLs of {@link ServiceAcls}; and what a client without credentials, with
 * a wrong password, or without an ACL it needs meets: a refusal in one line.
 */
class SecurePipelineIT {

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static KdConfig config;
    private static Dataset data;
    private static TeacherEnsemble ensemble;

    @BeforeAll
    static void start() {
        final BrokerSecurity security = SecureCluster.credentials(dir.resolve("secure"), false, List.of("localhost"));
        broker = EmbeddedKafkaBroker.startSecure(0, dir.resolve("kafka"), security);
        config = PipelineFixture.config(broker.bootstrapServers(), dir.resolve("state"), "secure");
        SecureCluster.setUp(broker, config, 2);
        data = PipelineFixture.data();
        ensemble = PipelineFixture.ensemble(data);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static KdConfig as(final String user) {
        return SecureCluster.as(broker, user, config);
    }

    @Test
    void thePipelineRunsWithEachServiceAsItsOwnPrincipal() {
        // the student's endpoint honours metrics.bind, as the separate services' do
        final var configs = new Pipeline.ServiceConfigs(as(ServiceAcls.TEACHER),
                as(ServiceAcls.TRAINER).with(Map.of(ConfigKey.METRICS_BIND.key(), "0.0.0.0")), as(ServiceAcls.SERVER));
        try (Pipeline pipeline = Pipeline.startOnFreePorts(configs, ensemble)) {
            assertThat(pipeline.studentMetricsAddress().getAddress().isAnyLocalAddress()).isTrue();
            assertThat(pipeline.teacher().createdTopics()).isEmpty();
            final List<String> ids = PipelineFixture.produceValid(as(ServiceAcls.PRODUCER), data, 0, 300);
            final Set<String> predicted = PipelineFixture.readUntil(as(ServiceAcls.READER),
                            config.topics().predictions(), read -> read.size() >= ids.size(), Duration.ofSeconds(120))
                    .stream().map(PipelineFixture::key).collect(Collectors.toSet());
            assertThat(predicted).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(pipeline.healthy()).isTrue();
        }
    }

    @Test
    void aClientWithoutCredentialsIsToldTheListenerSpeaksTls() {
        // a plaintext Kafka client would read the TLS answer as a 350 MB response size (KAFKA-4090)
        final KdConfig plaintext = PipelineFixture.config(broker.bootstrapServers(), dir.resolve("p"), "secure");
        assertThat(plaintext.kafkaProperties()).doesNotContainKey("security.protocol");
        assertThatThrownBy(() -> TopicAdmin.ensureTopics(plaintext))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("the broker at " + broker.bootstrapServers() + " speaks TLS but this client is "
                        + "set for PLAINTEXT");
    }

    @Test
    void aWrongPasswordIsOneLineNamingTheSetting() {
        final KdConfig wrong = config.withKafka(withPassword(ServiceAcls.TEACHER, "not-the-password"));
        assertThatThrownBy(() -> TopicAdmin.ensureTopics(wrong))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("Kafka refused this client's credentials")
                .hasMessageContaining("kafka.sasl.jaas.config (KD_KAFKA_SASL_JAAS_CONFIG)")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theWrittenConfigFilesConnectAndARefusalIsOneLineWithExitCodeOne() throws Exception {
        final Map<String, Path> files = SecureCluster.setUp(broker, config, 2);
        final Path reader = withTopics(files.get(ServiceAcls.READER), "reader");
        assertThat(kd("query", "--config", reader.toString(), "--last", "1", "--timeout", "5")).isZero();

        // the reader may not write features
        err.getBuffer().setLength(0);
        assertThat(kd("produce", "--config", reader.toString(), "--count", "1", "--no-metrics")).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("produce: error: topic " + config.topics().features()
                + " is missing (or this principal may not describe it) and this principal may not create it")
                .doesNotContain("\n");

        final Path wrong = withTopics(files.get(ServiceAcls.READER), "wrong");
        Files.writeString(wrong, Files.readString(wrong).replaceAll("password=\"[^\"]*\"", "password=\"no\""));
        err.getBuffer().setLength(0);
        assertThat(kd("query", "--config", wrong.toString(), "--last", "1", "--timeout", "10")).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("query: error: Kafka refused this client's credentials")
                .doesNotContain("\n").doesNotContain("\tat ");
    }

    private final StringWriter err = new StringWriter();

    private int kd(final String... args) {
        final CommandLine cmd = Kd.commandLine();
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    /** A copy of a written config file with this test's topic names. */
    private static Path withTopics(final Path written, final String name) throws Exception {
        final Path copy = dir.resolve(name + ".properties");
        final StringBuilder text = new StringBuilder(Files.readString(written));
        for (final var key : List.of(ConfigKey.TOPIC_FEATURES, ConfigKey.TOPIC_PREDICTIONS)) {
            text.append(key.key()).append('=').append(config.get(key)).append('\n');
        }
        Files.writeString(copy, text);
        return copy;
    }

    @Test
    void aServiceMayNotCreateTheTopicsItLacks() {
        // the teacher's principal may see none of the server's output topics, nor create them
        try (ServiceMetrics metrics = new ServiceMetrics("server")) {
            assertThatThrownBy(() -> ServingService.start(as(ServiceAcls.TEACHER), metrics, "kd-server"))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessageContaining("topic " + config.topics().predictions() + " is missing")
                    .hasMessageContaining("may not create it");
        }
    }

    @Test
    void aStreamsAppWithoutItsGroupAclStopsOnceWithTheReason() throws Exception {
        // its ACLs cover the group kd-teacher, not this one
        try (ServiceMetrics metrics = new ServiceMetrics("teacher");
             TeacherService rogue = TeacherService.start(as(ServiceAcls.TEACHER), ensemble, metrics,
                     "kd-teacher-unlisted")) {
            final long start = System.nanoTime();
            while (rogue.failureMessage().isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                Thread.sleep(200);
            }
            assertThat(rogue.failureMessage()).hasValueSatisfying(m -> assertThat(m)
                    .startsWith("this client's principal is not authorised on consumer group kd-teacher-unlisted")
                    .doesNotContain("\n"));
            assertThat(rogue.healthy()).isFalse();
        }
    }

    private static Properties withPassword(final String user, final String password) {
        final Properties p = new Properties();
        p.putAll(broker.security().orElseThrow().clientProperties(user));
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return p;
    }
}
