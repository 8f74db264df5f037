package dev.kdstream.launcher.broker;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.HangingTransactionSweeper;
import dev.kdstream.contracts.service.Service;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.secure.BrokerSecurity;
import dev.kdstream.launcher.secure.SecureCluster;
import dev.kdstream.launcher.secure.ServiceAcls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd broker}: the embedded KRaft broker as a long-running process of its own, so the
 * services can run as separate processes without Docker, as in Kafka's quickstart.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a real Kafka broker (Apache Kafka's own KRaft broker and controller, one node) on localhost "
                    + "until Ctrl-C or SIGTERM, which stop it cleanly (a controlled shutdown). Its topics and "
                    + "offsets stay in --data-dir across restarts; delete that directory to start fresh.",
            "",
            "Then run the services in other terminals: './kd teacher serve', './kd student', './kd produce'. "
                    + "They create the topics they need.",
            "",
            "With --secure, clients authenticate (SASL_SSL, SCRAM-SHA-512) and each service may do only what "
                    + "its ACLs allow. A local CA, the broker's certificate and a password per service are made "
                    + "in <data-dir>/secure on first use, with a client config file per service; the broker "
                    + "creates the topics (no service may) and prints how each service connects."},
        footer = {"", "Examples:",
            "  ./kd broker",
            "  ./kd broker --port 19092 --data-dir /tmp/kd-broker",
            "  KD_BOOTSTRAP_SERVERS=localhost:19092 ./kd teacher serve",
            "  ./kd broker --secure",
            "  KD_CONFIG=.kd/broker/secure/kd-teacher.properties ./kd teacher serve"})
public final class BrokerCommand implements Callable<Integer> {

    /** {@code --data-dir}'s default. */
    public static final String DEFAULT_DATA_DIR = ".kd/broker";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DEFAULT_DATA_DIR,
            description = "The broker's data (DIR/kafka, formatted on first use and kept) and, with --secure, its "
                    + "credentials (DIR/secure) (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "localhost",
            description = "The address the client port listens on: localhost (this machine only, the default) or "
                    + "0.0.0.0 (every interface, as in a container).")
    String listen;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = "The name clients reach the broker by (default: --listen, or localhost for 0.0.0.0); "
                    + "with --secure, also a name in the broker's certificate.")
    String advertisedHost;

    @Option(names = "--secure",
            description = "Authenticate clients (SASL_SSL with SCRAM-SHA-512) and authorise them with ACLs, one "
                    + "principal per service (see the README's Security section).")
    boolean secure;

    @Option(names = "--mutual-tls",
            description = "With --secure: clients must also present a certificate the local CA signed (their "
                    + "config files name it).")
    boolean mutualTls;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2",
            description = "With --secure: partitions of the topics the broker creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    /** Counted down once the broker has stopped, so the shutdown hook can wait for it. */
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        final PrintWriter out = spec.commandLine().getOut();
        if (mutualTls && !secure) {
            throw new IllegalArgumentException("--mutual-tls needs --secure");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
        }
        checkPort(listen, port);
        checkDataDir(dataDir);
        final String advertised = advertisedHost != null ? advertisedHost
                : "0.0.0.0".equals(listen) ? "localhost" : listen;
        final Path logDir = logDir(dataDir, secure);
        final boolean reused = Files.exists(logDir.resolve("meta.properties"));
        final BrokerSecurity security = secure ? SecureCluster.credentials(dataDir.resolve("secure"), mutualTls,
                List.of(advertised)) : null;
        final CountDownLatch stopRequested = new CountDownLatch(1);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(listen, advertised, port, logDir, security)) {
            Service.onShutdown("kd-broker-shutdown", () -> {
                stopRequested.countDown();
                try {
                    // the JVM halts when the hooks return: wait for the broker's controlled shutdown
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            final String bootstrap = broker.bootstrapServers();
            out.println("kd broker: Kafka (KRaft, one node) on " + bootstrap + ", data in " + logDir.toAbsolutePath()
                    + (reused ? " (reused)" : " (new)"));
            final List<HangingTransactionSweeper> sweepers = secure ? startSecured(broker, out) : List.of();
            try {
                if (!secure) {
                    printPlaintextUsage(out, bootstrap);
                }
                out.println("Ctrl-C stops it; its data stays in " + dataDir + ".");
                out.flush();
                stopRequested.await();
                out.println("kd broker: stopping ...");
                out.flush();
            } finally {
                sweepers.forEach(HangingTransactionSweeper::close);
            }
        } finally {
            closed.countDown();
        }
        return 0;
    }

    /** Topics, ACLs and config files as the administrator; prints how each service connects. */
    private List<HangingTransactionSweeper> startSecured(final EmbeddedKafkaBroker broker, final PrintWriter out) {
        final KdConfig config = KdConfig.fromEnvironment(null, Map.of(ConfigKey.BOOTSTRAP_SERVERS.key(),
                broker.bootstrapServers()));
        final Map<String, Path> files = SecureCluster.setUp(broker, config, partitions);
        out.println("Secured: clients authenticate with SASL_SSL (SCRAM-SHA-512)"
                + (mutualTls ? " and a client certificate" : "") + "; ACLs allow each service only its own "
                + "operations. Topics " + config.topics().all() + " exist.");
        out.println("Each service connects with its own config file (credentials: keep them private):");
        out.println("  KD_CONFIG=" + files.get(ServiceAcls.TEACHER) + " ./kd teacher serve");
        out.println("  KD_CONFIG=" + files.get(ServiceAcls.TRAINER) + " ./kd student --role trainer");
        out.println("  KD_CONFIG=" + files.get(ServiceAcls.SERVER) + " ./kd student --role server");
        out.println("  KD_CONFIG=" + files.get(ServiceAcls.PRODUCER) + " ./kd produce --count 10000");
        out.println("  KD_CONFIG=" + files.get(ServiceAcls.READER) + " ./kd query --last 5");
        out.println("Administrator (every right): " + files.get(BrokerSecurity.ADMIN) + "; any Kafka client takes "
                + "the kafka.* lines of these files as its own properties.");
        return SecureCluster.sweepers(broker, config.topics(), new SimpleMeterRegistry());
    }

    private static void printPlaintextUsage(final PrintWriter out, final String bootstrap) {
        out.println("Connect with --bootstrap-servers " + bootstrap + " or KD_BOOTSTRAP_SERVERS=" + bootstrap
                + ", e.g. in other terminals:");
        out.println("  ./kd teacher serve --bootstrap-servers " + bootstrap);
        out.println("  ./kd student --bootstrap-servers " + bootstrap);
        out.println("  ./kd produce --bootstrap-servers " + bootstrap + " --count 10000");
    }

    /**
     * {@code dir/kafka}; or {@code dir} itself where a build from before {@code --secure} kept the
     * broker's data there (the credentials cannot sit inside a Kafka log directory, whose every
     * subdirectory must be a partition's).
     */
    static Path logDir(final Path dir, final boolean secure) {
        if (!Files.exists(dir.resolve("meta.properties"))) {
            return dir.resolve("kafka");
        }
        if (secure) {
            throw new IllegalArgumentException("--data-dir " + dir + " holds a broker's data where builds before "
                    + "--secure kept it (in the directory itself, not in " + dir.resolve("kafka") + "): move it there "
                    + "(mv " + dir + " " + dir + ".old && mkdir " + dir + " && mv " + dir + ".old " + dir.resolve("kafka")
                    + ") or choose another --data-dir");
        }
        return dir;
    }

    /** A port in use would otherwise fail deep in the broker's start-up with a page of log. */
    static void checkPort(final String host, final int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        }
        final InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalArgumentException("--listen: unknown address " + host);
        }
        try (ServerSocket probe = new ServerSocket(port, 1, address)) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " is in use (another broker or ./kd stack?): "
                    + "stop it or choose another with --port");
        }
    }

    static void checkDataDir(final Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot use --data-dir " + dir + ": " + describe(e));
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("cannot use --data-dir " + dir + ": not writable");
        }
    }

    private static String describe(final IOException e) {
        return e instanceof java.nio.file.FileAlreadyExistsException ? "it is a file, not a directory"
                : e.getClass().getSimpleName() + " " + e.getMessage();
    }
}
