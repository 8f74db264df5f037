package dev.kdstream.embedded.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.embedded.EmbeddedKafkaBroker;

/**
 * The secured embedded broker with mutual TLS on: SCRAM users authenticate, ACLs authorise, and
 * a client with a wrong password, without a certificate, or with an expired one, is refused.
 */
class SecureBrokerIT {

    private static final String TOPIC = "secure-topic";

    @TempDir
    static Path dir;
    private static BrokerSecurity security;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        security = BrokerSecurity.prepare(dir.resolve("secure"), List.of("alice"), true, List.of("localhost"));
        broker = EmbeddedKafkaBroker.startSecure(0, dir.resolve("kafka"), security);
        try (Admin admin = Admin.create(broker.adminProperties())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aUserWritesOnlyWhereAnAclLetsIt() throws Exception {
        assertThatThrownBy(() -> send(broker.clientProperties("alice")))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);

        try (Admin admin = Admin.create(broker.adminProperties())) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        send(broker.clientProperties("alice"));
    }

    @Test
    void aWrongPasswordIsRefused() {
        final Properties p = broker.clientProperties("alice");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"alice\" password=\"wrong\";");
        assertThatThrownBy(() -> send(p)).hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        final Properties p = broker.clientProperties("alice");
        p.remove("ssl.keystore.location");
        p.remove("ssl.keystore.password");
        p.remove("ssl.keystore.type");
        p.remove("ssl.key.password");
        assertThatThrownBy(() -> send(p)).satisfies(e -> assertThat(causes(e))
                .anyMatch(SslAuthenticationException.class::isInstance));
    }

    @Test
    void anExpiredCertificateIsRefused() {
        final Properties p = broker.clientProperties("alice");
        p.put("ssl.keystore.location", security.issueExpiredClientCertificate("expired").toString());
        assertThatThrownBy(() -> send(p)).satisfies(e -> assertThat(causes(e))
                .anyMatch(SslAuthenticationException.class::isInstance));
    }

    @Test
    void credentialsAreReusedFromTheDirectory() {
        final BrokerSecurity again = BrokerSecurity.prepare(security.directory(), List.of("alice"), true,
                List.of("localhost"));
        assertThat(again.clientProperties("alice")).isEqualTo(security.clientProperties("alice"));
    }

    @Test
    void aDirectoryFirstRunPlaintextIsSecuredLater() throws Exception {
        // its metadata holds no SCRAM user; the users are made as the broker itself at every start
        final Path logDir = dir.resolve("plaintext-first");
        EmbeddedKafkaBroker.start(0, logDir).close();
        final BrokerSecurity later = BrokerSecurity.prepare(dir.resolve("later"), List.of("alice"), false,
                List.of("localhost"));
        try (EmbeddedKafkaBroker secured = EmbeddedKafkaBroker.startSecure(0, logDir, later);
             Admin admin = Admin.create(secured.adminProperties())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void aHostNameAddedLaterGetsANewBrokerCertificate() {
        final Path certificates = dir.resolve("names");
        final BrokerSecurity first = BrokerSecurity.prepare(certificates, List.of(), false, List.of("localhost"));
        assertThat(BrokerSecurity.names(first.brokerStore(), storePassword(certificates), "broker"))
                .containsExactly("localhost");
        final BrokerSecurity second = BrokerSecurity.prepare(certificates, List.of(), false,
                List.of("localhost", "kafka"));
        assertThat(BrokerSecurity.names(second.brokerStore(), storePassword(certificates), "broker"))
                .containsExactlyInAnyOrder("localhost", "kafka");
    }

    @Test
    void noClientFileHoldsTheKeyStorePassword() throws Exception {
        final String storePassword = storePassword(security.directory());
        final Path file = security.writeClientConfig("alice", broker.bootstrapServers());
        assertThat(Files.readString(file)).doesNotContain(storePassword);
    }

    private static String storePassword(final Path credentials) {
        final Properties stored = new Properties();
        try (var r = Files.newBufferedReader(credentials.resolve("credentials.properties"))) {
            stored.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stored.getProperty("store.password");
    }

    private static List<Throwable> causes(final Throwable e) {
        final List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static void send(final Properties client) throws Exception {
        final Properties p = new Properties();
        p.putAll(client);
        p.put("max.block.ms", "15000");
        p.put("delivery.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get(20, TimeUnit.SECONDS);
        }
    }
}
