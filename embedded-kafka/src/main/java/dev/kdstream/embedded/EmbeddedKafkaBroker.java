package dev.kdstream.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import dev.kdstream.embedded.secure.BrokerSecurity;

/**
 * A real Kafka broker (combined broker + KRaft controller, one node) running in this JVM: Apache
 * Kafka's own server code, so clients, transactions and Kafka Streams behave exactly as against
 * any cluster. Starts in ~4 s. Used by {@code ./kd stack} and by the integration tests.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String host;
    private final int port;
    private final Path logDir;
    /** Null for a plaintext broker. */
    private final BrokerSecurity security;
    /** Set for {@link #startTemporary()}: the directory is the broker's own, removed on close. */
    private boolean deleteOnClose;

    private EmbeddedKafkaBroker(final KafkaRaftServer server, final String host, final int port, final Path logDir,
                                final BrokerSecurity security) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.logDir = logDir;
        this.security = security;
    }

    /**
     * @param port   client port on localhost; 0 picks a free one
     * @param logDir where the broker keeps its data (formatted on first use, reused after)
     */
    public static EmbeddedKafkaBroker start(final int port, final Path logDir) {
        return start("localhost", "localhost", port, logDir, null);
    }

    /**
     * A broker whose clients authenticate (SASL_SSL, SCRAM-SHA-512) and are authorised by ACLs;
     * see {@link BrokerSecurity}. Every user of {@code security} has its password once this returns.
     */
    public static EmbeddedKafkaBroker startSecure(final int port, final Path logDir, final BrokerSecurity security) {
        return start("localhost", "localhost", port, logDir, security);
    }

    /**
     * @param bindHost       the client listener's address ({@code 0.0.0.0} in a container)
     * @param advertisedHost the name clients reach it by
     * @param security       null for a plaintext listener that lets every client do anything
     */
    public static EmbeddedKafkaBroker start(final String bindHost, final String advertisedHost, final int port,
                                            final Path logDir, final BrokerSecurity security) {
        final int clientPort = port == 0 ? freePort() : port;
        final int controllerPort = freePort();
        // the secured broker's own TLS listener (controller and replication)
        final int internalPort = security == null ? -1 : freePort();
        try {
            Files.createDirectories(logDir);
            final Properties props = brokerProperties(logDir);
            props.putAll(security == null ? plaintextListeners(bindHost, advertisedHost, clientPort, controllerPort)
                    : security.brokerProperties(bindHost, advertisedHost, clientPort, internalPort, controllerPort));
            format(props, logDir);
            final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            final EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, advertisedHost, clientPort, logDir,
                    security);
            if (security != null) {
                // as the broker itself on its internal listener: this works whether or not the
                // metadata already holds the users (a directory first run plaintext, or reused)
                try {
                    security.makeUsers("localhost:" + internalPort);
                } catch (RuntimeException e) {
                    broker.close();
                    throw e;
                }
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's log directory " + logDir, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker on " + bindHost + ":" + clientPort
                    + ": " + e.getMessage() + " (is another broker using the port?)", e);
        }
    }

    /** A broker on a free port with a fresh temporary log directory, deleted on close (tests, benchmarks). */
    public static EmbeddedKafkaBroker startTemporary() {
        try {
            final EmbeddedKafkaBroker broker = start(0, Files.createTempDirectory("kd-kafka-"));
            broker.deleteOnClose = true;
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties plaintextListeners(final String bindHost, final String advertisedHost, final int clientPort,
                                         final int controllerPort) {
        final Properties p = new Properties();
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + bindHost + ":" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + advertisedHost + ":" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        return p;
    }

    /** Everything but the listeners. */
    static Properties brokerProperties(final Path logDir) {
        final Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // one node: every internal topic with one replica, or transactions (exactly-once) never start
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // a killed producer's transaction is aborted this soon after its timeout, not up to 10 s later:
        // until then read_committed readers see nothing past it (docs/platform.md, "Recovery after SIGKILL")
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // topics are created on purpose by the services, never by a typo
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        return p;
    }

    private static void format(final Properties props, final Path logDir) throws IOException {
        final Path propsFile = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "kd-stream embedded broker");
        }
        // a secured broker's key store password is in it
        BrokerSecurity.restrict(propsFile, "rw-------");
        final Path idFile = logDir.resolve("cluster.id");
        final String clusterId = Files.exists(idFile) ? Files.readString(idFile).trim() : Uuid.randomUuid().toString();
        Files.writeString(idFile, clusterId);
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final int code = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", propsFile.toString(),
            "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("formatting the broker's storage failed: "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    /** Client properties with every right: the bootstrap servers, and on a secured broker {@link BrokerSecurity#ADMIN}'s credentials. */
    public Properties adminProperties() {
        return clientProperties(BrokerSecurity.ADMIN);
    }

    /** Client properties that connect as {@code user} (on a plaintext broker every user is anonymous). */
    public Properties clientProperties(final String user) {
        final Properties p = new Properties();
        if (security != null) {
            p.putAll(security.clientProperties(user));
        }
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    /** The broker's credentials, if it is secured. */
    public Optional<BrokerSecurity> security() {
        return Optional.ofNullable(security);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteQuietly(logDir);
        }
    }

    /** Best effort: a leftover temporary directory is harmless, a failed close is not. */
    private static void deleteQuietly(final Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the OS's temp cleaning
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
