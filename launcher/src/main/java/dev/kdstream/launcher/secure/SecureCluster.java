package dev.kdstream.launcher.secure;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;

import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.HangingTransactionSweeper;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.secure.BrokerSecurity;
import dev.kdstream.student.serving.ServingTopology;
import dev.kdstream.teacher.streams.TeacherTopology;

/**
 * What an administrator does once for a secured cluster, done for the embedded broker: the
 * services' users ({@link ServiceAcls#PRINCIPALS}), the topics, the ACLs, and a client config file
 * per user. On a secured cluster no service may create a topic or abort another producer's
 * transaction, so the broker's owner does both.
 */
public final class SecureCluster {

    private SecureCluster() {
    }

    /**
     * The credentials in {@code dir} for {@link ServiceAcls#PRINCIPALS} (made on first use).
     *
     * @param hosts the names clients reach the broker by besides localhost and 127.0.0.1, which the
     *              broker's certificate always names
     */
    public static BrokerSecurity credentials(final Path dir, final boolean mutualTls, final List<String> hosts) {
        return credentials(dir, mutualTls, hosts, false);
    }

    /** @param sharedVolume see {@link BrokerSecurity#prepare(Path, List, boolean, List, boolean)} */
    public static BrokerSecurity credentials(final Path dir, final boolean mutualTls, final List<String> hosts,
                                             final boolean sharedVolume) {
        return BrokerSecurity.prepare(dir, ServiceAcls.PRINCIPALS, mutualTls, certificateNames(hosts), sharedVolume);
    }

    /** The names the broker's certificate holds: localhost, 127.0.0.1, then {@code hosts}, each once. */
    public static List<String> certificateNames(final List<String> hosts) {
        final Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        names.addAll(hosts);
        return List.copyOf(names);
    }

    /**
     * As {@link BrokerSecurity#ADMIN}: creates the topics that are missing and grants every
     * service its ACLs (both idempotent), and writes each user's client config file.
     *
     * @return the client config file of each user, {@link BrokerSecurity#ADMIN} first
     */
    public static Map<String, Path> setUp(final EmbeddedKafkaBroker broker, final KdConfig config,
                                          final int partitions) {
        final BrokerSecurity security = broker.security().orElseThrow(() ->
                new IllegalArgumentException("the broker is not secured"));
        grant(broker.adminProperties(), config.topics(), partitions, (short) 1);
        final Map<String, Path> files = new LinkedHashMap<>();
        for (final String user : security.users()) {
            files.put(user, security.writeClientConfig(user, broker.bootstrapServers()));
        }
        return files;
    }

    /**
     * On any broker, as {@code adminClient}: creates the topics that are missing and grants every
     * service its ACLs (both idempotent).
     */
    public static void grant(final Properties adminClient, final TopicNames topics, final int partitions,
                             final short replication) {
        TopicAdmin.ensureTopics(adminClient, topics, partitions, replication);
        try (Admin admin = Admin.create(adminClient)) {
            admin.createAcls(ServiceAcls.bindings(topics)).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the ACLs", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the services' ACLs: " + e.getMessage(), e);
        }
    }

    /** {@code config} connecting as {@code user} of {@code broker}; as it is on a plaintext broker. */
    public static KdConfig as(final EmbeddedKafkaBroker broker, final String user, final KdConfig config) {
        return broker.security().map(s -> config.withKafka(s.clientProperties(user))).orElse(config);
    }

    /**
     * Sweeps the exactly-once services' output for hanging transactions as {@link BrokerSecurity#ADMIN}:
     * the services' own sweepers may not (see {@link HangingTransactionSweeper}).
     */
    public static List<HangingTransactionSweeper> sweepers(final EmbeddedKafkaBroker broker, final TopicNames topics,
                                                           final MeterRegistry registry) {
        return sweepers(broker.adminProperties(), topics, registry);
    }

    /** The same with any client that may describe every producer and write transaction markers. */
    public static List<HangingTransactionSweeper> sweepers(final Properties adminClient, final TopicNames topics,
                                                           final MeterRegistry registry) {
        return List.of(
                HangingTransactionSweeper.start(adminClient, TeacherTopology.APPLICATION_ID,
                        Set.of(topics.softTargets(), topics.featuresDlq()), registry),
                HangingTransactionSweeper.start(adminClient, ServingTopology.APPLICATION_ID,
                        Set.of(topics.predictions()), registry));
    }
}
